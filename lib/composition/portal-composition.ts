import "server-only";
import type { Composition } from "@/lib/composition/composition";
import { sendMailEffect } from "@/lib/mail/deliver-mail";
import { reissueCertificatesEffect } from "@/lib/licensing/reissue-certificates-for-renewal";
import { transferPayoutItemEffect } from "@/lib/payouts/transfer-payout-item";
import { backchannelLogoutEffect } from "@/lib/oidc/logout/deliver-backchannel-logout";
import { fulfilTicketSale } from "@/lib/payments/fulfil-ticket-sale";
import { fulfilLicenseOrder } from "@/lib/licensing/activate-license-for-paid-order";
import { enqueueBackchannelLogouts } from "@/lib/oidc/logout/enqueue-backchannel-logouts";
import { standardClaimSources } from "@/lib/oidc/claims/standard-claim-sources";
import { licenseIdsClaimSource } from "@/lib/licensing/license-ids-claim-source";
import { sessionsRevoker } from "@/lib/auth/sessions";
import { oidcGrantsRevoker } from "@/lib/oidc/grants/revoke-grants-of-user";
import { theaterApiTokensRevoker } from "@/lib/licensing/theater-api-tokens";
import { reinstateStoreLicenseEffect, suspendStoreLicenseEffect } from "@/lib/app-stores/store-license-effects";
import { sendAppleConsumptionEffect } from "@/lib/app-stores/send-apple-consumption";
import { recordAppleUpgradeCreditEffect } from "@/lib/app-stores/record-apple-upgrade-credit";
import { acknowledgeGooglePurchaseEffect } from "@/lib/app-stores/acknowledge-google-purchase";
import { fanOutWebhookEffect } from "@/lib/webhooks/emit-webhook-event";
import { deliverWebhookEffect } from "@/lib/webhooks/deliver-webhook";
import { federationAutomaticRegistrar } from "@/lib/federation/register-automatic-client";
import { issueReceiptEffect } from "@/lib/payments/receipts/issue-receipt";

/**
 * The composition root: every outbox effect, order fulfiller, session-end
 * hook, claim source and credential revoker of the portal. startPortal, the CLI and the test
 * setup install it; a domain that serves another through one of these lists
 * adds its entry here.
 */
export const portalComposition: Composition = {
  effects: [
    sendMailEffect,
    reissueCertificatesEffect,
    transferPayoutItemEffect,
    backchannelLogoutEffect,
    suspendStoreLicenseEffect,
    reinstateStoreLicenseEffect,
    sendAppleConsumptionEffect,
    recordAppleUpgradeCreditEffect,
    acknowledgeGooglePurchaseEffect,
    fanOutWebhookEffect,
    deliverWebhookEffect,
    issueReceiptEffect,
  ],
  orderFulfillers: { ticket: fulfilTicketSale, license: fulfilLicenseOrder },
  sessionEndHooks: [enqueueBackchannelLogouts],
  claimSources: [...standardClaimSources, licenseIdsClaimSource],
  // Disabling a user ends each of these for them (lib/orgs/disable-user.ts).
  credentialRevokers: [sessionsRevoker, oidcGrantsRevoker, theaterApiTokensRevoker],
  clientRegistrars: [federationAutomaticRegistrar],
};
