import { z } from "zod";
import { apiRoute, readJson } from "@/lib/http/api-route";
import { requireAccess } from "@/lib/auth/require-access";
import { suspendLicense } from "@/lib/licensing/suspend-license";
import { reinstateLicense } from "@/lib/licensing/reinstate-license";
import { revokeLicense } from "@/lib/licensing/revoke-license";
import { permanentRevocationReasons } from "@/lib/licensing/revocation-reasons";
import { actReasonSchema } from "@/lib/audit/act-reason";

const bodySchema = z.discriminatedUnion("action", [
  z.object({ action: z.literal("suspend"), reason: actReasonSchema }),
  z.object({ action: z.literal("reinstate"), reason: actReasonSchema }),
  z.object({
    action: z.literal("revoke"),
    reason: actReasonSchema,
    revocationReason: z.enum(permanentRevocationReasons).optional(),
  }),
]);

/** Org admins and finance suspend, reinstate or revoke a license; the CRL follows in the same transaction. */
export const POST = apiRoute<{ licenseId: string }>(async (req, { params }) => {
  const { session } = await requireAccess({ anyRole: ["ORG_ADMIN", "FINANCE"] });
  const body = bodySchema.parse(await readJson(req));
  const actor = { type: "user" as const, id: session.userId };
  const input = { licenseId: params.licenseId, reason: body.reason, actor };
  const license =
    body.action === "suspend"
      ? await suspendLicense(input)
      : body.action === "reinstate"
        ? await reinstateLicense(input)
        : await revokeLicense({ ...input, revocationReason: body.revocationReason });
  return Response.json({ id: license.id, status: license.status, statusReason: license.statusReason });
});
