import { apiRoute } from "@/lib/http/api-route";
import { licenseIdParams } from "@/app/api/licensing/licensing-schemas";
import { requireAccess } from "@/lib/auth/require-access";
import { suspendLicense } from "@/lib/licensing/suspend-license";
import { reinstateLicense } from "@/lib/licensing/reinstate-license";
import { revokeLicense } from "@/lib/licensing/revoke-license";
import { answer, parseBody } from "@/lib/http/api-contract";
import {
  changeStandingRequestSchema,
  changeStandingResponseSchema,
} from "@/app/api/licensing/licenses/[licenseId]/standing/schemas";

/** Org admins and finance suspend, reinstate or revoke a license; the CRL follows in the same transaction. */
export const POST = apiRoute(
  async (req, { params }) => {
    const { actor } = await requireAccess({ anyRole: ["ORG_ADMIN", "FINANCE"] });
    const body = await parseBody(changeStandingRequestSchema, req);
    const input = { licenseId: params.licenseId, reason: body.reason, actor };
    const license =
      body.action === "suspend"
        ? await suspendLicense(input)
        : body.action === "reinstate"
          ? await reinstateLicense(input)
          : await revokeLicense({ ...input, revocationReason: body.revocationReason });
    return answer(changeStandingResponseSchema, license);
  },
  { params: licenseIdParams },
);
