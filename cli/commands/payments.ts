import { cliActor } from "@/lib/access/actor";
import { cliIo } from "../io";
import type { CliCommand } from "../command";
import { CliError, flag, output } from "../command";
import { checkLedger } from "@/lib/ledger/check-ledger";
import { runPayoutTransfers } from "@/lib/payouts/run-payout-transfers";
import { alertReconciliationDifferences } from "@/lib/payouts/alert-reconciliation-differences";
import { createPayoutBatch } from "@/lib/payouts/create-payout-batch";
import { connectPayeeAccount, payeeOfOrgSlug } from "@/lib/payouts/connect-payee-account";
import { reconcileOpenOrders } from "@/lib/payments/reconcile-open-orders";
import { resumeStalledRefunds } from "@/lib/payments/resume-stalled-refunds";
import { renewSimulatedFundings } from "@/lib/payments/renew-simulated-fundings";

export const paymentsReconcileOrders: CliCommand = {
  name: "payments reconcile-orders",
  summary:
    "bring open orders due for a look to their checkout session's state at the provider (paid, expired), and send stalled refunds again",
  usage: "payments reconcile-orders [--all] [--json]",
  async run(args) {
    // --all looks at every open order and every reserved refund now, as after an outage, instead of only those due.
    const all = args.flags.all === true;
    const dueBy = all ? new Date(Date.now() + 400 * 86_400_000) : new Date();
    const total = await reconcileOpenOrders({ dueBy, limit: 10_000 });
    const refunds = await resumeStalledRefunds({ stalledBefore: all ? new Date() : undefined, limit: 10_000 });
    output(args, { ...total, refunds }, () => [
      `${total.paid} paid, ${total.expired} expired, ${total.open} still open, ${total.failed} failed (provider unreachable)`,
      `stalled refunds: ${refunds.submitted} recorded, ${refunds.refused} refused and released, ${refunds.failed} failed (provider unreachable)`,
    ]);
    if (total.failed || refunds.failed) cliIo().exitCode = 1;
  },
};

export const paymentsRenewSimulated: CliCommand = {
  name: "payments renew-simulated",
  summary: "bill the simulated provider's monthly fundings whose period ended (the portal does it hourly)",
  usage: "payments renew-simulated [--json]",
  async run(args) {
    const total = await renewSimulatedFundings();
    output(args, total, () => [
      `${total.billed} period(s) billed, ${total.posted} payment(s) posted, ${total.ended} funding(s) ended as their funders asked`,
    ]);
  },
};

export const ledgerCheck: CliCommand = {
  name: "ledger check",
  summary: "verify the ledger's invariants (entries balance, reversals exact, balances sum to zero)",
  usage: "ledger check [--json]",
  async run(args) {
    const result = await checkLedger();
    output(args, result, () =>
      result.ok
        ? [`ledger OK: ${result.entries} entries, ${result.postings} postings`]
        : ["ledger BROKEN:", ...result.problems.map((p) => `  ${p}`)],
    );
    if (!result.ok) cliIo().exitCode = 1;
  },
};

export const payoutsRunTransfers: CliCommand = {
  name: "payouts run-transfers",
  summary: "send the pending payout transfers of executing batches now",
  usage: "payouts run-transfers [--json]",
  async run(args) {
    const jobs = await runPayoutTransfers();
    output(args, { jobs }, () => [`${jobs} payout transfer job(s) run`]);
  },
};

export const payoutsBatchCreate: CliCommand = {
  name: "payouts batch create",
  summary: "propose a payout batch of what every payee is owed now (or at --period-end)",
  usage: "payouts batch create --currency EUR [--period-start ISO --period-end ISO] [--json]",
  async run(args) {
    const batch = await createPayoutBatch({
      actor: cliActor,
      currency: flag(args, "currency", true),
      periodStart: flag(args, "period-start"),
      periodEnd: flag(args, "period-end"),
    });
    output(args, batch, () => [
      `batch ${batch.id}: ${batch.itemCount} item(s), ${batch.totalMinor} ${batch.currency} minor units, awaiting two finance approvals`,
    ]);
  },
};

export const payoutsReconcile: CliCommand = {
  name: "payouts reconcile",
  summary: "match the provider's balance transactions of a window against the ledger; differences alert finance",
  usage: "payouts reconcile [--from ISO] [--to ISO] [--json]",
  async run(args) {
    const to = new Date(flag(args, "to") ?? Date.now());
    const from = new Date(flag(args, "from") ?? to.getTime() - 7 * 86_400_000);
    if (Number.isNaN(from.getTime()) || Number.isNaN(to.getTime())) throw new CliError("--from and --to are ISO dates");
    const r = await alertReconciliationDifferences({ from, to });
    output(args, r, () => [
      `${r.provider}: ${r.matched} matched of ${r.providerCount}; ${r.differences.length} difference(s), ${r.alerted} new finance alert(s)`,
      ...r.differences.map((d) => `  ${d.kind} ${d.providerRef}: ${d.detail}`),
    ]);
    if (r.differences.length) cliIo().exitCode = 1;
  },
};

export const payoutsPayeeConnect: CliCommand = {
  name: "payouts payee connect",
  summary: "give a theater, a host or the developers' fund a connected account and print its onboarding link",
  usage: "payouts payee connect (--org SLUG | --developers-fund) [--country DE] [--json]",
  async run(args) {
    const slug = flag(args, "org");
    let input: Omit<Parameters<typeof connectPayeeAccount>[0], "actor">;
    if (args.flags["developers-fund"] === true)
      input = { kind: "developers_fund", orgId: null, returnPath: "/finance" };
    else if (slug) {
      const payee = await payeeOfOrgSlug(slug);
      if (!payee) throw new CliError(`no organization ${slug}`);
      input = { kind: payee.kind, orgId: payee.orgId, returnPath: `/orgs/${slug}/payouts` };
    } else throw new CliError("--org SLUG or --developers-fund is required");
    const r = await connectPayeeAccount({
      ...input,
      actor: cliActor,
      country: flag(args, "country"),
    });
    output(args, r, () => [
      `payee account ${r.payeeAccountId}: ${r.onboardingStatus}`,
      ...(r.onboardingUrl ? [`onboarding: ${r.onboardingUrl}`] : []),
    ]);
  },
};
