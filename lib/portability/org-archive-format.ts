import "server-only";
import { z } from "zod";
import { importedStopReason } from "@/lib/webhook-subscriptions/imported-stop";

/**
 * The whole org's archive (`org export DIR` / `org import DIR`, docs/EXPORTS.md): one NDJSON file per table
 * below, in this order (the order import writes them in, parents before children), each with its record
 * hashes beside it, and `manifest.json` naming each file's SHA-256, record count and size and its record
 * hashes' size and SHA-256, signed by the origin's export key.
 */
export const ORG_ARCHIVE_FORMAT = "guildhall-org-archive";
// 2: each data file has its record hashes beside it (org-archive-files.ts recordHashesFile), so a changed record
// is named; version 1 archives, without them, are refused (docs/EXPORTS.md).
export const ORG_ARCHIVE_VERSION = 2;
export const ORG_ARCHIVE_TYP = "guildhall-org-archive+jws";
export const ORG_ARCHIVE_MANIFEST = "manifest.json";

/**
 * One table of the archive. Columns are the table's own (every column of the schema the manifest names, in
 * the database's order) minus `omit`; each record is the row as PostgreSQL's row_to_json writes it, with
 * 64-bit integers as decimal strings (JSON numbers lose precision past 2^53) and bytes as `\x` hex.
 * `onImport` gives the SQL a column is written with at the fork instead of the archive's value (or, for an
 * omitted column, the value it takes), from the record's own columns and the manifest's export time.
 */
export type ArchiveTable = {
  file: string;
  table: string;
  orderBy: string[];
  where?: string;
  omit?: string[];
  onImport?: Record<string, (exportedAt: string) => string>;
  /**
   * A table holding at most one row per record of this one (`key` names this table's `id`), whose `columns`
   * travel inside this table's records (null where it has none) and are written back to it at import; its
   * other columns take `onImport`'s values. `orderBy` may name these columns.
   */
  companion?: {
    table: string;
    key: string;
    columns: string[];
    onImport: Record<string, (exportedAt: string) => string>;
  };
};

// Keys the fork publishes as its predecessor's (docs/EXPORTS.md): what the origin signed that must still
// verify at the fork. Never the private half; never the OpenID, webhook, federation or log keys, which the
// fork replaces with its own identity.
export const PREDECESSOR_KEY_PURPOSES = ["license", "receipt", "governance", "manifest", "export"] as const;

// The column's value, or the export time when it has none: a key, CA or token ends where the origin's archive ends.
const endedByExport = (column: string) => (exportedAt: string) => `coalesce("${column}", TIMESTAMP '${exportedAt}')`;
// A credential's hash never travels: the row keeps a value no token hashes to, so it can never be used.
const unusableHash = () => `'forked:' || "id"`;

export const ORG_ARCHIVE_TABLES: readonly ArchiveTable[] = [
  { file: "users.ndjson", table: "User", orderBy: ["id"] },
  { file: "passkeys.ndjson", table: "Passkey", orderBy: ["id"] },
  { file: "organizations.ndjson", table: "Organization", orderBy: ["id"] },
  { file: "user-roles.ndjson", table: "UserRole", orderBy: ["userId", "role"] },
  { file: "memberships.ndjson", table: "Membership", orderBy: ["orgId", "userId"] },
  {
    file: "invitations.ndjson",
    table: "Invitation",
    orderBy: ["id"],
    omit: ["tokenHash"],
    onImport: { tokenHash: unusableHash },
  },
  // Chain order, each event with its place (seq, prevHash, hash: AuditPlacement's), so the chain checks in one
  // pass; events the sequencer has not placed yet (no seq) last, in the order they were queued. An event's
  // transaction id means nothing in another database: the fork's events take the import's (docs/LOG.md).
  {
    file: "audit-events.ndjson",
    table: "AuditEvent",
    orderBy: ["seq", "queued"],
    omit: ["xact"],
    onImport: { xact: () => "pg_current_xact_id()::text::bigint" },
    companion: {
      table: "AuditPlacement",
      key: "eventId",
      columns: ["seq", "prevHash", "hash"],
      // The sequencer's cut-off starts over at the fork: its first round looks at every event.
      onImport: { horizon: () => "0" },
    },
  },
  { file: "log-entries.ndjson", table: "LogEntry", orderBy: ["index"] },
  { file: "log-tiles.ndjson", table: "LogTile", orderBy: ["level", "index"] },
  { file: "log-openings.ndjson", table: "LogOpening", orderBy: ["eventSeq", "path"] },
  {
    file: "log-witnesses.ndjson",
    table: "LogWitness",
    orderBy: ["id"],
    // What a witness last cosigned is the origin log's; the fork's log is another log to it.
    omit: ["cosignedSize", "lastError", "lastTriedAt"],
  },
  {
    file: "signing-keys.ndjson",
    table: "SigningKey",
    orderBy: ["kid"],
    where: `"purpose" IN (${PREDECESSOR_KEY_PURPOSES.map((p) => `'${p}'`).join(", ")})`,
    omit: ["privateSealed"],
    // Published as the predecessor's (retired, so never chosen to sign); the private half stays at the origin.
    onImport: { privateSealed: () => "''", retiredAt: endedByExport("retiredAt") },
  },
  { file: "fork-origins.ndjson", table: "ForkOrigin", orderBy: ["id"] },
  // The relying parties ballots were signed for, by period: read before the ballots, which are checked against them.
  { file: "relying-party-periods.ndjson", table: "RelyingPartyPeriod", orderBy: ["id"] },
  { file: "governance-rules.ndjson", table: "GovernanceRule", orderBy: ["kind"] },
  { file: "proposals.ndjson", table: "Proposal", orderBy: ["id"] },
  { file: "proposal-roster.ndjson", table: "ProposalRosterEntry", orderBy: ["proposalId", "userId"] },
  { file: "ballots.ndjson", table: "Ballot", orderBy: ["id"] },
  { file: "release-lines.ndjson", table: "ReleaseLine", orderBy: ["id"] },
  { file: "releases.ndjson", table: "Release", orderBy: ["id"] },
  {
    file: "host-release-declarations.ndjson",
    table: "HostReleaseDeclaration",
    orderBy: ["hostOrgId", "releaseLineId"],
  },
  { file: "release-manifests.ndjson", table: "ReleaseManifest", orderBy: ["seq"] },
  { file: "federation-hosts.ndjson", table: "FederationHost", orderBy: ["hostOrgId"] },
  { file: "service-configurations.ndjson", table: "ServiceConfiguration", orderBy: ["version"] },
  {
    file: "webhook-subscriptions.ndjson",
    table: "WebhookSubscription",
    orderBy: ["id"],
    // Stopped: one active at the origin until an admin of the fork resumes it once its receiver trusts the fork's
    // webhook keys (lib/webhook-subscriptions/imported-stop.ts); one stopped there keeps its reason, and stays so.
    onImport: {
      status: () => "'disabled'",
      disabledReason: () => `coalesce("disabledReason", '${importedStopReason("the origin").replaceAll("'", "''")}')`,
      disabledAt: endedByExport("disabledAt"),
    },
  },
  { file: "payment-orders.ndjson", table: "PaymentOrder", orderBy: ["id"] },
  { file: "receipts.ndjson", table: "Receipt", orderBy: ["id"] },
  { file: "payment-adjustments.ndjson", table: "PaymentAdjustment", orderBy: ["id"] },
  { file: "refund-requests.ndjson", table: "RefundRequest", orderBy: ["id"] },
  { file: "payment-events.ndjson", table: "PaymentEvent", orderBy: ["provider", "eventId"] },
  { file: "ticket-sales.ndjson", table: "TicketSale", orderBy: ["orderId"] },
  { file: "store-products.ndjson", table: "StoreProduct", orderBy: ["store", "productId"] },
  { file: "app-account-tokens.ndjson", table: "AppAccountToken", orderBy: ["token"] },
  { file: "store-transactions.ndjson", table: "StoreTransaction", orderBy: ["store", "transactionId"] },
  { file: "store-subscriptions.ndjson", table: "StoreSubscription", orderBy: ["store", "originalTransactionId"] },
  { file: "ledger-accounts.ndjson", table: "LedgerAccount", orderBy: ["id"] },
  { file: "journal-entries.ndjson", table: "JournalEntry", orderBy: ["id"] },
  { file: "ledger-postings.ndjson", table: "LedgerPosting", orderBy: ["id"] },
  { file: "split-policies.ndjson", table: "SplitPolicy", orderBy: ["id"] },
  { file: "split-policy-approvals.ndjson", table: "SplitPolicyApproval", orderBy: ["policyId", "userId"] },
  { file: "host-usage-reports.ndjson", table: "HostUsageReport", orderBy: ["hostOrgId", "period"] },
  { file: "payout-batches.ndjson", table: "PayoutBatch", orderBy: ["id"] },
  { file: "payout-batch-approvals.ndjson", table: "PayoutBatchApproval", orderBy: ["batchId", "userId"] },
  { file: "payout-items.ndjson", table: "PayoutItem", orderBy: ["id"] },
  // Pledges and what they paid: money records. A recurring pledge's subscription is at the origin's provider.
  { file: "fundings.ndjson", table: "Funding", orderBy: ["id"] },
  { file: "funding-payments.ndjson", table: "FundingPayment", orderBy: ["id"] },
  // Refunds and disputes whose payment was not recorded yet when they came (applied when it is): the ledger's
  // pending inputs.
  { file: "held-provider-refunds.ndjson", table: "HeldProviderRefund", orderBy: ["provider", "refundId"] },
  { file: "held-provider-disputes.ndjson", table: "HeldProviderDispute", orderBy: ["provider", "disputeId"] },
  { file: "license-plans.ndjson", table: "LicensePlan", orderBy: ["id"] },
  { file: "licenses.ndjson", table: "License", orderBy: ["id"] },
  { file: "license-orders.ndjson", table: "LicenseOrder", orderBy: ["orderId"] },
  { file: "license-reminders.ndjson", table: "LicenseReminder", orderBy: ["licenseId", "validUntil", "daysBefore"] },
  {
    file: "certificate-authorities.ndjson",
    table: "CertificateAuthority",
    orderBy: ["id"],
    // The fork has its own root and issuing CA; the origin's are its predecessors: published for hosts to
    // keep trusting what they issued, never issuing (no private key here, retired).
    omit: ["privateSealed"],
    onImport: {
      kind: () => `CASE WHEN "kind" LIKE 'predecessor_%' THEN "kind" ELSE 'predecessor_' || "kind" END`,
      retiredAt: endedByExport("retiredAt"),
    },
  },
  { file: "license-certificates.ndjson", table: "LicenseCertificate", orderBy: ["id"] },
  { file: "certificate-revocation-lists.ndjson", table: "CertificateRevocationList", orderBy: ["id"] },
  { file: "theater-imports.ndjson", table: "TheaterImport", orderBy: ["id"] },
  {
    file: "theater-api-tokens.ndjson",
    table: "TheaterApiToken",
    orderBy: ["id"],
    omit: ["tokenHash"],
    onImport: { tokenHash: unusableHash, revokedAt: endedByExport("revokedAt") },
  },
  {
    file: "oidc-clients.ndjson",
    table: "OidcClient",
    orderBy: ["id"],
    // A client secret is made anew at the fork (its hash never travels); the client is there, waiting for it.
    omit: ["secretHash"],
  },
  { file: "oidc-grants.ndjson", table: "OidcGrant", orderBy: ["id"] },
  { file: "finance-alerts.ndjson", table: "FinanceAlert", orderBy: ["id"] },
];

/**
 * Tables that never leave, and why: the manifest lists them so the fork's operator knows what to make anew.
 * A table in neither list fails the archive test (a new table must be placed in one of them).
 */
export const ORG_ARCHIVE_NOT_EXPORTED: Readonly<Record<string, string>> = {
  Session: "sessions are credentials: members sign in to the fork by email code and add passkeys there",
  EmailCode: "sign-in codes are credentials",
  WebAuthnChallenge: "short-lived challenges",
  RateLimitCounter: "short-lived counters",
  LogCheckpoint: "signed by the origin's log key: the manifest carries the latest; the fork signs its own at that size",
  LogCosignature: "witnesses cosigned the origin's checkpoints, not the fork's",
  LogWitnessRound: "rounds of the origin's checkpoints",
  MailMessage: "mail content is sealed under the origin's master key and purged once sent",
  OutboxJob: "the origin's pending effects: the fork's own acts make its own",
  WebhookEvent: "the origin's delivery history",
  WebhookDelivery: "the origin's delivery history",
  WebhookAttempt: "the origin's delivery history",
  FederationClientRegistration: "a cache of trust chains resolved for the origin's trust anchor",
  GovernanceClock: "the test clock",
  SimulatedProviderObject: "the origin's payment provider's records",
  PayeeAccount: "payee accounts belong to the origin's payment provider account: payees connect again at the fork",
  OidcInteraction: "short-lived sign-in state",
  OidcPushedRequest: "short-lived sign-in state",
  OidcAuthorizationCode: "credentials",
  OidcToken: "credentials: apps sign their users in again at the fork",
  OidcInitialAccessToken: "credentials: the fork's admins issue new ones",
  OidcClientAssertion: "replay protection of the origin's token endpoint",
  OidcUsedJti: "replay protection of the origin's endpoints",
};

const hex64 = z.string().regex(/^[0-9a-f]{64}$/);
// Only this form: it is written into SQL as a timestamp literal at import.
const isoInstant = z.string().regex(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);

export const orgArchiveManifestSchema = z.strictObject({
  format: z.literal(ORG_ARCHIVE_FORMAT),
  v: z.number().int().min(1),
  // The origin's last database migration: the fork must be at the same one (same tables, same columns).
  schemaMigration: z.string().min(1).max(200),
  origin: z.strictObject({
    issuer: z.string().url(),
    rpId: z.string().min(1),
    rpOrigin: z.string().url(),
    exportedAt: isoInstant,
  }),
  log: z.strictObject({
    origin: z.string().min(1),
    verifierKey: z.string().min(1),
    size: z.number().int().nonnegative(),
    rootHash: hex64,
    checkpoint: z.string().min(1),
  }),
  // Each ledger account's balance (sum of its postings) at export, to be recomputed from the postings.
  ledger: z.strictObject({
    balances: z.array(
      z.strictObject({ accountId: z.string(), currency: z.string(), balanceMinor: z.string().regex(/^-?\d+$/) }),
    ),
  }),
  files: z.array(
    z.strictObject({
      name: z.string(),
      table: z.string(),
      records: z.number().int().nonnegative(),
      bytes: z.number().int().nonnegative(),
      sha256: hex64,
      // The file of its records' hashes (recordHashesFile: its name follows from the data file's).
      recordHashes: z.strictObject({ bytes: z.number().int().nonnegative(), sha256: hex64 }),
    }),
  ),
  notExported: z.record(z.string(), z.string()),
});

export type OrgArchiveManifest = z.infer<typeof orgArchiveManifestSchema>;

export const orgArchiveFileSchema = z.strictObject({ manifest: z.unknown(), signature: z.string() });
