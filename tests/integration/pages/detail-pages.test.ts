// First: the harness sets up Next's request scope before the pages load Next's modules.
import { renderPage, type PageComponent } from "../../support/page-harness";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { newId } from "@/lib/ids";
import { userActor } from "@/lib/access/actor";
import { startFunding } from "@/lib/funding/start-funding";
import { startFundingSchema } from "@/lib/funding/funding-input";
import { completeSimulatedFunding } from "@/lib/payments/complete-simulated-funding";
import { refusalOfPageRequest } from "@/lib/http/page-request-refusal";
import ProposalPage from "@/app/governance/[id]/page";
import OrderPage from "@/app/finance/orders/[id]/page";
import FundingPaymentPage from "@/app/finance/fundings/payments/[id]/page";
import PayoutBatchPage from "@/app/finance/batches/[id]/page";
import PayoutItemSourcesPage from "@/app/finance/batches/[id]/items/[itemId]/page";
import AuditEventPage from "@/app/admin/audit/[seq]/page";
import SimulatedFundingPage from "@/app/fund/simulated/[fundingId]/page";
import LineFundingPage from "@/app/funding/[line]/page";
import OrganizationPage from "@/app/orgs/[slug]/page";
import HostClientsPage from "@/app/orgs/[slug]/clients/page";
import OrgPayoutsPage from "@/app/orgs/[slug]/payouts/page";
import WebhooksPage from "@/app/orgs/[slug]/webhooks/page";
import SimulatedCheckoutPage from "@/app/pay/simulated/[orderId]/page";
import { sessionCookieFor } from "../../support/route-harness";
import { seedActiveSplitPolicy, seedReleaseLineRunBy } from "../../support/payments-factories";
import { seedOrg, seedUser } from "../../support/factories";

/**
 * The pages that name one thing in their address, rendered as Next would serve them (tests/support/page-harness):
 * an id that names nothing, or one no id looks like, is the not-found page (404), never the error page (500);
 * an address with a control character never reaches a page (proxy.ts refuses it with a 400). And the funding
 * payment page for finance: what it shows, and that no one else sees it.
 */

type DetailPage = { path: string; page: PageComponent; params: (id: string) => Record<string, string> };

// Each page with the one segment under test; the others (a payout item's batch) are as unknown.
const detailPages: DetailPage[] = [
  { path: "/governance/ID", page: ProposalPage, params: (id) => ({ id }) },
  { path: "/finance/orders/ID", page: OrderPage, params: (id) => ({ id }) },
  { path: "/finance/fundings/payments/ID", page: FundingPaymentPage, params: (id) => ({ id }) },
  { path: "/finance/batches/ID", page: PayoutBatchPage, params: (id) => ({ id }) },
  { path: "/finance/batches/pb_x/items/ID", page: PayoutItemSourcesPage, params: (id) => ({ id: "pb_x", itemId: id }) },
  { path: "/admin/audit/ID", page: AuditEventPage, params: (seq) => ({ seq }) },
  { path: "/fund/simulated/ID", page: SimulatedFundingPage, params: (fundingId) => ({ fundingId }) },
  { path: "/funding/ID", page: LineFundingPage, params: (line) => ({ line }) },
  { path: "/orgs/ID", page: OrganizationPage, params: (slug) => ({ slug }) },
  { path: "/orgs/ID/clients", page: HostClientsPage, params: (slug) => ({ slug }) },
  { path: "/orgs/ID/payouts", page: OrgPayoutsPage, params: (slug) => ({ slug }) },
  { path: "/orgs/ID/webhooks", page: WebhooksPage, params: (slug) => ({ slug }) },
  { path: "/pay/simulated/ID", page: SimulatedCheckoutPage, params: (orderId) => ({ orderId }) },
];

// Ids that name nothing: one of the right shape, and ones no id has (as Next hands a segment over, decoded).
const unknownIds = {
  "well-formed": "zz_0000000000000000",
  "a number": "999999999999999999",
  "with a slash, a quote and a percent sign": `a/b"c%d`,
  "a stray %-escape": "%E0%A4%A",
  "very long": "x".repeat(5000),
  "not Latin": "пьеса🎭",
};

let financeCookie: string;
let everyRoleCookie: string;

beforeAll(async () => {
  const { user: finance } = await seedUser({ roles: ["FINANCE"] });
  // One visitor who passes every page's role check, so each page goes on to read the id.
  const { user: everyRole } = await seedUser({ roles: ["FINANCE", "ORG_ADMIN"] });
  [financeCookie, everyRoleCookie] = await Promise.all([sessionCookieFor(finance.id), sessionCookieFor(everyRole.id)]);
});

describe("a detail page given an id that names nothing", () => {
  it.each(detailPages)("$path is the not-found page", async ({ page, params }) => {
    const unexpected: string[] = [];
    for (const [label, id] of Object.entries(unknownIds)) {
      const outcome = await renderPage(page, { params: params(id) }, everyRoleCookie);
      if (outcome.status !== 404)
        unexpected.push(`${label}: ${outcome.status} ${outcome.status === 500 ? String(outcome.error) : ""}`);
    }
    expect(unexpected, unexpected.join("\n")).toEqual([]);
  });

  it("with a control character or a malformed escape, is refused before the page, with a 400", () => {
    for (const { path } of detailPages)
      for (const segment of ["a%00b", "%1B%5B31m", "%E0%A4%A", "%ED%A0%80"]) {
        const url = `http://localhost${path.replace("ID", segment)}`;
        const refusal = refusalOfPageRequest({ url, nextUrl: { pathname: new URL(url).pathname } }, "req_test");
        expect(refusal?.status, url).toBe(400);
      }
  });
});

/** A funder's paid funding of a release line, through the simulated provider (the demo's). */
async function paidFunding() {
  const host = await seedOrg({ kind: "HOST" });
  await seedActiveSplitPolicy("LINE_FUNDING", "EUR");
  const line = await seedReleaseLineRunBy([host]);
  const { user: funder } = await seedUser();
  const form = startFundingSchema.parse({
    amount: "12.50",
    currency: "EUR",
    interval: "once",
    requestKey: newId("rk"),
    releaseLineId: line.id,
  });
  const { fundingId } = await startFunding({ ...form, actor: userActor(funder.id) });
  await completeSimulatedFunding({ funderUserId: funder.id, fundingId, cardNumber: "4242424242424242" });
  const payment = await db().fundingPayment.findFirstOrThrow({ where: { fundingId } });
  return { line, funder, fundingId, payment };
}

describe("the funding payment page", () => {
  it("shows finance what a funder paid, for what, and its refunds; refuses everyone else", async () => {
    const { line, funder, fundingId, payment } = await paidFunding();
    const params = { id: payment.id };

    const shown = await renderPage(FundingPaymentPage, { params }, financeCookie);
    expect(shown.status, shown.status === 500 ? String(shown.error) : "").toBe(200);
    expect(shown.html).toContain(payment.id);
    expect(shown.html).toContain(`the ${line.name} release line, once`);
    expect(shown.html).toContain("€12.50");
    expect(shown.html).toContain("No refunds of this payment.");

    // The funder who paid, a theater's admin and a host's operator are not finance: the forbidden page.
    const { admin: theaterAdmin } = await seedOrg({ kind: "THEATER" });
    for (const userId of [funder.id, theaterAdmin.id]) {
      const refused = await renderPage(FundingPaymentPage, { params }, await sessionCookieFor(userId));
      expect(refused.status).toBe(403);
    }
    // Signed out: to sign-in, and back here after.
    const signedOut = await renderPage(FundingPaymentPage, { params });
    expect(signedOut).toMatchObject({
      status: 307,
      location: `/sign-in?callbackUrl=${encodeURIComponent(`/finance/fundings/payments/${payment.id}`)}`,
    });

    // The funder's own page of the funding shows it; another person's is not found, not forbidden, so it does
    // not tell that the funding exists.
    const own = await renderPage(SimulatedFundingPage, { params: { fundingId } }, await sessionCookieFor(funder.id));
    expect(own.status).toBe(200);
    expect(own.html).toContain(line.name);
    const { user: stranger } = await seedUser();
    const strangers = await renderPage(
      SimulatedFundingPage,
      { params: { fundingId } },
      await sessionCookieFor(stranger.id),
    );
    expect(strangers.status).toBe(404);
  });
});
