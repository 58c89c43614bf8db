import type { CliCommand } from "../command";
import { CliError, flag, output } from "../command";
import { getOrganizationBySlugOrThrow } from "@/lib/orgs/get-organization";
import { addStoreProduct, listStoreProducts } from "@/lib/app-stores/store-products";
import { reconcileAppleTransactionHistory } from "@/lib/app-stores/reconcile-apple";
import { sweepAppleStore } from "@/lib/app-stores/sweep-apple-store";
import { maxVoidedDays, reconcileGoogleSubscription, sweepGooglePlay } from "@/lib/app-stores/sweep-google-play";

import { cliActor } from "@/lib/access/actor";

export const storeProductAdd: CliCommand = {
  name: "appstore product add",
  summary:
    "map an app-store product to tickets of a theater's show, to a theater's license plan, or to funding of a release line or host",
  usage:
    "appstore product add --store apple|google --product-id ID (--theater SLUG (--show SHOW_ID | --plan PLAN_ID) | --fund-line LINE | --fund-host HOST_SLUG) [--json]",
  async run(args) {
    const store = flag(args, "store", true);
    if (store !== "apple" && store !== "google") throw new CliError("--store is apple or google");
    const productId = flag(args, "product-id", true);
    const fundLine = flag(args, "fund-line");
    const fundHost = flag(args, "fund-host");
    if (fundLine || fundHost) {
      if ((fundLine && fundHost) || flag(args, "theater"))
        throw new CliError("a funding product funds one thing: give --fund-line or --fund-host, and no --theater");
      const host = fundHost ? await getOrganizationBySlugOrThrow(fundHost) : null;
      const made = await addStoreProduct({
        store,
        productId,
        kind: "funding",
        releaseLineName: fundLine,
        hostOrgId: host?.id,
        actor: cliActor,
      });
      output(args, made, () => [
        `${made.store} product ${made.productId} funds ${fundLine ? `the ${fundLine} release line` : `the host ${host?.slug}`}`,
      ]);
      return;
    }
    const theater = await getOrganizationBySlugOrThrow(flag(args, "theater", true));
    const show = flag(args, "show");
    const plan = flag(args, "plan");
    if (Boolean(show) === Boolean(plan))
      throw new CliError("give exactly one of --show (tickets) and --plan (a license)");
    const base = { store, productId, theaterOrgId: theater.id } as const;
    const made = await addStoreProduct({
      ...(show ? { ...base, kind: "ticket", showId: show } : { ...base, kind: "license", planId: plan as string }),
      actor: cliActor,
    });
    output(args, made, () => [
      `${made.store} product ${made.productId} sells ${made.kind === "ticket" ? "tickets" : "a license"} of ${theater.slug}`,
    ]);
  },
};

export const storeProductList: CliCommand = {
  name: "appstore product list",
  summary: "list the app-store products and what each sells",
  usage: "appstore product list [--json]",
  async run(args) {
    const products = await listStoreProducts();
    output(args, products, () =>
      products.map(
        (p) =>
          `${p.store}\t${p.productId}\t${p.kind}\t${p.theaterOrgId ?? "-"}\t${p.showId ?? p.planId ?? p.releaseLineId ?? p.hostOrgId}`,
      ),
    );
  },
};

export const appleReconcile: CliCommand = {
  name: "appstore apple reconcile",
  summary: "read a customer's App Store transaction history and record missed purchases and refunds",
  usage: "appstore apple reconcile --transaction-id ID [--json]",
  async run(args) {
    const report = await reconcileAppleTransactionHistory(flag(args, "transaction-id", true));
    output(args, report, () => [
      `${report.seen} transaction(s) seen, ${report.recorded} purchase(s) and ${report.refunded} refund(s) recorded`,
      ...report.refused.map((r) => `  refused ${r.transactionId}: ${r.reason}`),
    ]);
  },
};

export const appleSweep: CliCommand = {
  name: "appstore apple sweep",
  summary: "process App Store notifications missed over the last hours and check overdue subscriptions",
  usage: "appstore apple sweep [--hours 72] [--json]",
  async run(args) {
    const hours = Number(flag(args, "hours") ?? 72);
    if (!Number.isInteger(hours) || hours < 1 || hours > 24 * 180) throw new CliError("--hours is 1 to 4320");
    const report = await sweepAppleStore({ hours });
    output(args, report, () => [
      `notifications: ${report.notifications.seen} seen, ${report.notifications.processed} processed, ${report.notifications.duplicates} already had`,
      `subscriptions checked: ${report.subscriptionsChecked}; ${report.recorded} purchase(s), ${report.refunded} refund(s) recorded`,
      ...Object.entries(report.states).map(([id, state]) => `  ${id}: now ${state}`),
      ...[...report.notifications.refused, ...report.refused.map((r) => `${r.transactionId}: ${r.reason}`)].map(
        (r) => `  refused ${r}`,
      ),
    ]);
  },
};

export const googleReconcile: CliCommand = {
  name: "appstore google reconcile",
  summary: "read a Google Play subscription from the Play Developer API and record its latest order and state",
  usage: "appstore google reconcile --token PURCHASE_TOKEN [--json]",
  async run(args) {
    const report = await reconcileGoogleSubscription(flag(args, "token", true));
    output(args, report, () => [
      `${report.outcome}: ${report.note ?? ""}`,
      ...report.refused.map((r) => `  refused ${r}`),
    ]);
  },
};

export const googleSweep: CliCommand = {
  name: "appstore google sweep",
  summary: "record Google Play refunds missed over the last days and check overdue subscriptions",
  usage: `appstore google sweep [--days 3] [--json]`,
  async run(args) {
    const days = Number(flag(args, "days") ?? 3);
    if (!Number.isInteger(days) || days < 1 || days > maxVoidedDays)
      throw new CliError(`--days is 1 to ${maxVoidedDays} (Google lists voided purchases of 30 days)`);
    const report = await sweepGooglePlay({ days });
    output(args, report, () => [
      `voided purchases: ${report.voidedSeen} seen, ${report.refunded} refund(s) recorded`,
      `subscriptions checked: ${report.subscriptionsChecked}; ${report.recorded} purchase(s) recorded`,
      ...report.refused.map((r) => `  refused ${r}`),
    ]);
  },
};

export const appStoreCommands = [
  storeProductAdd,
  storeProductList,
  appleReconcile,
  appleSweep,
  googleReconcile,
  googleSweep,
];
