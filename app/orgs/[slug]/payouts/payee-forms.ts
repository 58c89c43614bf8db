import "server-only";
import type { z } from "zod";
import { AppError } from "@/lib/errors/app-error";
import type { UserActor } from "@/lib/access/actor";
import type { UserAccess } from "@/lib/access/user-access";
import { requirePayeeViewer } from "@/lib/payouts/require-payee-viewer";
import { connectPayeeAccount } from "@/lib/payouts/connect-payee-account";
import { reportHostUsage } from "@/lib/splits/report-host-usage";
import { isFederationMemberOrg } from "@/lib/governance/federation/read-federation-hosts";
import type { payeeConnectRequestSchema } from "@/app/api/finance/finance-schemas";
import type { usageReportRequestSchema } from "@/app/api/orgs/[slug]/usage/schemas";

/**
 * A payee's own acts, shared by the payouts page's server actions and the JSON routes: who sends them, for
 * which organization, and how to read the input, which is read only once the sender may act.
 */
type PayeeAct<Schema extends z.ZodType> = {
  access: UserAccess;
  actor: UserActor;
  slug: string;
  readInput: () => Promise<z.output<Schema>>;
};

/** A theater's admin or a host's operator connects the account its payouts go to (Stripe Connect onboarding). */
export async function connectPayoutAccountAs(act: PayeeAct<typeof payeeConnectRequestSchema>) {
  const payee = await requirePayeeViewer(act.access, act.slug, { manage: true });
  const { country } = await act.readInput();
  return connectPayeeAccount({
    actor: act.actor,
    country,
    kind: payee.kind,
    orgId: payee.orgId,
    returnPath: `/orgs/${act.slug}/payouts`,
  });
}

/**
 * A host's operator reports its usage for a month; it weights the hosts' share under a "usage" policy. A
 * federation member has keys its admission voted, and a figure that moves money between hosts must then be
 * signed with them (POST /api/federation/usage-reports): this report, which no key signs, is refused for it
 * (403 SIGNED_REPORT_REQUIRED), changing nothing. Hosts outside the federation have no key and report here.
 */
export async function reportUsageAs(act: PayeeAct<typeof usageReportRequestSchema>) {
  const payee = await requirePayeeViewer(act.access, act.slug, { manage: true });
  if (payee.kind !== "host_payable") throw new AppError("NOT_FOUND", { userMessage: "Only hosts report usage." });
  const { period, units } = await act.readInput();
  if (await isFederationMemberOrg(payee.orgId))
    throw new AppError("FORBIDDEN", {
      userMessage:
        "This host is a federation member: report usage signed with its federation key (POST /api/federation/usage-reports).",
      reason: "SIGNED_REPORT_REQUIRED",
    });
  return reportHostUsage({ actor: act.actor, hostOrgId: payee.orgId, period, units });
}
