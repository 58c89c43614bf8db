import { apiRoute } from "@/lib/http/api-route";
import { respond } from "@/lib/http/form-or-json";
import { requireAccess } from "@/lib/auth/require-access";
import { AppError } from "@/lib/errors/app-error";
import { requirePayeeViewer } from "@/lib/payouts/require-payee-viewer";
import { reportHostUsage } from "@/lib/splits/report-host-usage";
import { isFederationMemberOrg } from "@/lib/governance/federation/read-federation-hosts";
import { parseFormOrJsonBody, responseBody } from "@/lib/http/api-contract";
import { usageReportRequestSchema, usageReportResponseSchema } from "@/app/api/orgs/[slug]/usage/schemas";

/**
 * A host's operator reports its usage for a month; it weights the hosts' share under a "usage" policy. A
 * federation member has keys its admission voted, and a figure that moves money between hosts must then be
 * signed with them (POST /api/federation/usage-reports): the form, which no key signs, is refused for it
 * (403 SIGNED_REPORT_REQUIRED), changing nothing. Hosts outside the federation have no key and report here.
 */
export const POST = apiRoute<{ slug: string }>(async (req, { params }) => {
  const { access, session } = await requireAccess("signed-in");
  const payee = await requirePayeeViewer(access, params.slug, { manage: true });
  if (payee.kind !== "host_payable") throw new AppError("NOT_FOUND", { userMessage: "Only hosts report usage." });
  const { period, units } = await parseFormOrJsonBody(usageReportRequestSchema, req);
  if (await isFederationMemberOrg(payee.orgId))
    throw new AppError("FORBIDDEN", {
      userMessage:
        "This host is a federation member: report usage signed with its federation key (POST /api/federation/usage-reports).",
      reason: "SIGNED_REPORT_REQUIRED",
    });
  const report = await reportHostUsage({ hostOrgId: payee.orgId, period, units }, { type: "user", id: session.userId });
  return respond(req, responseBody(usageReportResponseSchema, report), `/orgs/${params.slug}/payouts`);
});
