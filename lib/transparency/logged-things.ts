import "server-only";
/**
 * The signed things Guildhall hands out, and how each finds the log entry that
 * records it. An entry is an audit event (docs/LOG.md), so each kind names the
 * actions that record it, the subject type, and where the thing's id sits: the
 * subject id itself, or a key of the event's public `data` (a ballot is recorded
 * on its proposal, with `data.ballotId`). When several entries match (a license
 * activated, then renewed), the newest is the thing's current record.
 *
 * A table, not a function per domain: lib/transparency sits below the domains
 * (floor 6) and reads only audit events, which every domain writes through.
 */
export type LoggedThingRule = {
  /** What a person is shown: "license", "ballot receipt"... */
  label: string;
  /** The actions that record it; null: any action on the subject. */
  actions: readonly string[] | null;
  subjectType: string;
  /** The `data` key holding the thing's id; absent when the id is the subject id. */
  dataKey?: string;
  /** Ids look like this; anything else is a client's mistake, refused before a query. */
  idPattern: RegExp;
};

const anyId = /^[A-Za-z0-9_:.-]{1,100}$/;

export const loggedThingRules = {
  /** A license's current standing: activated, renewed, suspended, reinstated, revoked. */
  license: {
    label: "license",
    actions: ["license.activated", "license.renewed", "license.suspended", "license.reinstated", "license.revoked"],
    subjectType: "license",
    idPattern: /^lic_[A-Za-z0-9_-]{1,80}$/,
  },
  /** A certificate and the license document issued with it (one entry records both). */
  certificate: {
    label: "certificate and license document",
    actions: ["license_certificate.issued", "license_certificate.renewed"],
    subjectType: "license",
    dataKey: "certificateId",
    idPattern: anyId,
  },
  ballot: {
    label: "ballot receipt",
    actions: ["ballot.cast"],
    subjectType: "proposal",
    dataKey: "ballotId",
    idPattern: /^bal_[A-Za-z0-9_-]{1,80}$/,
  },
  /** A proposal's signed tally and outcome. */
  tally: {
    label: "tally",
    actions: ["proposal.closed"],
    subjectType: "proposal",
    idPattern: /^prop_[A-Za-z0-9_-]{1,80}$/,
  },
  release_manifest: {
    label: "release manifest",
    actions: ["release_manifest.published"],
    subjectType: "release_manifest",
    idPattern: /^[1-9][0-9]{0,15}$/,
  },
  /** A payee's line of a payout batch, as its statement shows it: its latest entry (posted, failed, retried...). */
  payout_item: {
    label: "payout statement",
    actions: null,
    subjectType: "payout_item",
    idPattern: /^poi_[A-Za-z0-9_-]{1,80}$/,
  },
  /** A payout batch: its latest entry (created, approved, executing, completed, voided...). */
  payout_batch: {
    label: "payout batch",
    actions: null,
    subjectType: "payout_batch",
    idPattern: /^po_[A-Za-z0-9_-]{1,80}$/,
  },
  /** A paid order: the entry its purchase receipt names (docs/RECEIPTS.md). */
  order: {
    label: "purchase",
    actions: ["order.paid"],
    subjectType: "order",
    idPattern: /^ord_[A-Za-z0-9_-]{1,80}$/,
  },
  split_policy: {
    label: "split-policy activation",
    actions: ["split_policy.activated"],
    subjectType: "split_policy",
    idPattern: anyId,
  },
  oidc_client: {
    label: "client registration",
    actions: ["oidc_client.registered"],
    subjectType: "oidc_client",
    idPattern: anyId,
  },
} as const satisfies Record<string, LoggedThingRule>;

export type LoggedThingKind = keyof typeof loggedThingRules;
export const loggedThingKinds = Object.keys(loggedThingRules) as [LoggedThingKind, ...LoggedThingKind[]];

/** A handed-out thing, named by its kind and id. */
export type LoggedThing = { kind: LoggedThingKind; id: string };
