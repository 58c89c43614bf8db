import { z } from "zod";
import { defineOperation } from "@/lib/http/api-contract";
import { actReasonSchema } from "@/lib/audit/act-reason";
import { permanentRevocationReasons } from "@/lib/licensing/revocation-reasons";
import { licenseIdParams, licensingReasons } from "@/app/api/licensing/licensing-schemas";

export const changeStandingRequestSchema = z.discriminatedUnion("action", [
  z.object({ action: z.literal("suspend"), reason: actReasonSchema }),
  z.object({ action: z.literal("reinstate"), reason: actReasonSchema }),
  z.object({
    action: z.literal("revoke"),
    reason: actReasonSchema,
    revocationReason: z.enum(permanentRevocationReasons).optional(),
  }),
]);
export const changeStandingResponseSchema = z.object({
  id: z.string(),
  status: z.enum(["PENDING_PAYMENT", "ACTIVE", "SUSPENDED", "REVOKED"]),
  statusReason: z.string().nullable(),
});

export const changeStandingOperation = defineOperation({
  method: "POST",
  path: "/api/licensing/licenses/{licenseId}/standing",
  operationId: "changeLicenseStanding",
  summary: "Suspend, reinstate or revoke a license (the CRL follows in the same transaction)",
  auth: "session",
  access: "ORG_ADMIN or FINANCE",
  request: { params: licenseIdParams, body: changeStandingRequestSchema },
  responses: { 200: { description: "The license's standing", schema: changeStandingResponseSchema } },
  errors: { 404: "No such license", 409: "The license is not in a standing this act changes" },
  reasons: licensingReasons,
});
