import "server-only";
/**
 * The events Guildhall sends (Standard Webhooks `type`: full-stop delimited,
 * `[a-z_]` parts), and which organizations may subscribe to each: a theater
 * hears about its own licenses, certificates and payouts; a host hears about
 * everything the federation publishes (admissions, removals, releases, the
 * service configuration) and about every theater's license and certificate
 * standing, which it needs to stop accepting a suspended theater's
 * certificates, and about its own payouts.
 */
export const webhookEventTypes = [
  "license.activated",
  "license.suspended",
  "license.reinstated",
  "license.revoked",
  "certificate.revoked",
  "host.admitted",
  "host.removed",
  "release.approved",
  "configuration.changed",
  "payout.posted",
  "payout.failed",
] as const;

export type WebhookEventType = (typeof webhookEventTypes)[number];

export type SubscriberKind = "HOST" | "THEATER";

const theaterEvents: readonly WebhookEventType[] = [
  "license.activated",
  "license.suspended",
  "license.reinstated",
  "license.revoked",
  "certificate.revoked",
  "payout.posted",
  "payout.failed",
];

export function eventTypesFor(kind: SubscriberKind): readonly WebhookEventType[] {
  return kind === "HOST" ? webhookEventTypes : theaterEvents;
}

/** What each event says, for people choosing on the subscription form. */
export const webhookEventLabels: Record<WebhookEventType, string> = {
  "license.activated": "A theater's license became active (first payment)",
  "license.suspended": "A license was suspended: its certificates are on hold",
  "license.reinstated": "A suspended license is active again",
  "license.revoked": "A license ended for good: its certificates are revoked",
  "certificate.revoked": "A theater certificate was revoked",
  "host.admitted": "The members admitted a host",
  "host.removed": "The members removed a host",
  "release.approved": "The members approved a release",
  "configuration.changed": "A new service configuration version was signed",
  "payout.posted": "A payout to your organization was sent",
  "payout.failed": "A payout to your organization could not be sent",
};
