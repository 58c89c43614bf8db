import type { ApiOperation } from "@/lib/http/api-contract";
import * as account from "@/app/api/account/schemas";
import * as emailVerification from "@/app/api/account/email-verification/schemas";
import * as emailVerificationResend from "@/app/api/account/email-verification/resend/schemas";
import * as accountExport from "@/app/api/account/export/schemas";
import * as passkeys from "@/app/api/account/passkeys/schemas";
import * as passkeyOptions from "@/app/api/account/passkeys/options/schemas";
import * as passkey from "@/app/api/account/passkeys/[passkeyId]/schemas";
import * as receipts from "@/app/api/account/receipts/schemas";
import * as receipt from "@/app/api/account/receipts/[id]/schemas";
import * as session from "@/app/api/account/sessions/[sessionId]/schemas";
import * as sessionsEndAll from "@/app/api/account/sessions/end-all/schemas";
import * as emailCode from "@/app/api/auth/email-code/schemas";
import * as passkeySignIn from "@/app/api/auth/passkey/options/schemas";
import * as signUp from "@/app/api/auth/sign-up/options/schemas";
import * as log from "@/app/api/log/schemas";
import * as hostRelease from "@/app/api/governance/hosts/[orgId]/release/schemas";
import * as governanceJwks from "@/app/api/governance/jwks/schemas";
import * as ballotOptions from "@/app/api/governance/proposals/[id]/ballot-options/schemas";
import * as ballots from "@/app/api/governance/proposals/[id]/ballots/schemas";
import * as proposalClose from "@/app/api/governance/proposals/[id]/close/schemas";
import * as proposalExport from "@/app/api/governance/proposals/[id]/export.json/schemas";
import * as proposalOpen from "@/app/api/governance/proposals/[id]/open/schemas";
import * as proposals from "@/app/api/governance/proposals/schemas";
import * as releaseManifest from "@/app/api/governance/release-manifest/schemas";
import * as governanceRules from "@/app/api/governance/rules/[kind]/schemas";
import * as usageReports from "@/app/api/federation/usage-reports/schemas";
import * as health from "@/app/api/health/schemas";
import * as liveness from "@/app/api/health/live/schemas";
import * as readiness from "@/app/api/health/ready/schemas";
import * as simulatedPayment from "@/app/api/pay/simulated/[orderId]/schemas";
import * as appAccountToken from "@/app/api/v1/app-account-token/schemas";
import * as appleWebhook from "@/app/api/webhooks/apple/schemas";
import * as googlePlayWebhook from "@/app/api/webhooks/google-play/schemas";
import * as stripeWebhook from "@/app/api/webhooks/stripe/schemas";
import * as stripeConnectWebhook from "@/app/api/webhooks/stripe-connect/schemas";
import * as resolveAlert from "@/app/api/finance/alerts/[alertId]/resolve/schemas";
import * as batches from "@/app/api/finance/batches/schemas";
import * as batchApprove from "@/app/api/finance/batches/[id]/approve/schemas";
import * as batchCsv from "@/app/api/finance/batches/[id]/csv/schemas";
import * as batchExecute from "@/app/api/finance/batches/[id]/execute/schemas";
import * as batchVoid from "@/app/api/finance/batches/[id]/void/schemas";
import * as refund from "@/app/api/finance/orders/[id]/refund/schemas";
import * as fundConnect from "@/app/api/finance/payees/connect/schemas";
import * as policies from "@/app/api/finance/policies/schemas";
import * as policyApprove from "@/app/api/finance/policies/[id]/approve/schemas";
import * as payeeConnect from "@/app/api/orgs/[slug]/payouts/connect/schemas";
import * as payeeStatement from "@/app/api/orgs/[slug]/payouts/statement/schemas";
import * as hostUsage from "@/app/api/orgs/[slug]/usage/schemas";
import * as revokeApiToken from "@/app/api/licensing/api-tokens/[tokenId]/schemas";
import * as certificates from "@/app/api/licensing/licenses/[licenseId]/certificates/schemas";
import * as licenseCheckout from "@/app/api/licensing/licenses/[licenseId]/checkout/schemas";
import * as licenseStanding from "@/app/api/licensing/licenses/[licenseId]/standing/schemas";
import * as licenses from "@/app/api/licensing/licenses/schemas";
import * as plans from "@/app/api/licensing/plans/schemas";
import * as planArchive from "@/app/api/licensing/plans/[planId]/archive/schemas";
import * as apiTokens from "@/app/api/licensing/theaters/[orgId]/api-tokens/schemas";
import * as theaterBackup from "@/app/api/licensing/theaters/[orgId]/backup/schemas";
import * as checkouts from "@/app/api/v1/checkouts/schemas";
import * as openApi from "@/app/api/v1/openapi.json/schemas";

/** The operations a schemas.ts module declares: its exports made with defineOperation. */
function operationsOf(...modules: Record<string, unknown>[]): ApiOperation[] {
  return modules.flatMap((m) =>
    Object.values(m).filter(
      (v): v is ApiOperation => typeof v === "object" && v !== null && "operationId" in v && "method" in v,
    ),
  );
}

/**
 * Every operation of every JSON route under app/api, each declared in the
 * schemas.ts beside its route: the OpenAPI documents are generated from this
 * list (app/api/v1/openapi-document.ts), and tests/unit/http/api-contract.test.ts
 * fails when a route.ts has a method that is neither listed here nor in
 * routesOutsideTheRegistry.
 */
export const apiOperations: ApiOperation[] = operationsOf(
  // accounts and sign-in
  account,
  emailVerification,
  emailVerificationResend,
  accountExport,
  passkeys,
  passkeyOptions,
  passkey,
  receipts,
  receipt,
  session,
  sessionsEndAll,
  emailCode,
  passkeySignIn,
  signUp,
  // licensing
  revokeApiToken,
  certificates,
  licenseCheckout,
  licenseStanding,
  licenses,
  plans,
  planArchive,
  apiTokens,
  theaterBackup,
  // finance and payouts
  resolveAlert,
  batches,
  batchApprove,
  batchCsv,
  batchExecute,
  batchVoid,
  refund,
  fundConnect,
  policies,
  policyApprove,
  // organizations
  payeeConnect,
  payeeStatement,
  hostUsage,
  // governance and federation
  hostRelease,
  governanceJwks,
  ballotOptions,
  ballots,
  proposalClose,
  proposalExport,
  proposalOpen,
  proposals,
  releaseManifest,
  governanceRules,
  usageReports,
  // payments' other ways in: the simulated checkout, app stores and the providers' webhooks
  simulatedPayment,
  appAccountToken,
  appleWebhook,
  googlePlayWebhook,
  stripeWebhook,
  stripeConnectWebhook,
  // the ticket-sale API, the documents, the transparency log, health
  checkouts,
  openApi,
  log,
  health,
  liveness,
  readiness,
);

/** Route files under app/api that no operation describes, and why. */
export const routesOutsideTheRegistry: Record<string, string> = {
  "app/api/auth/[...nextauth]/route.ts":
    "next-auth's own sign-in, callback and session endpoints: their forms and answers are next-auth's, not ours",
};
