/**
 * The numbers that bound how much work Guildhall does and how often, in one
 * place: outbox delivery, background timers, batch sizes and timeouts of
 * exports, imports, webhooks, witnesses and reconciliation, payout and split
 * approvals, and
 * the rate limits (each `{ name, limit, windowSeconds }`, counted per subject
 * in the database; RATE_LIMIT_FACTOR scales every limit at once).
 */
export const limits = {
  outbox: {
    /** How long a runner holds a job before another may take it over. */
    leaseMs: 60_000,
    /** Attempts before a job is marked dead instead of retried. */
    maxAttempts: 8,
    /** Jobs taken per run. */
    batchSize: 20,
    /** How often each portal process delivers due jobs. */
    intervalMs: 2_000,
  },
  /**
   * A store purchase's transaction may wait for another delivery of the same subscription (an advisory
   * lock held through that one's whole recording) before doing its own: more than Prisma's 5 s default.
   */
  storeTransaction: { maxWaitMs: 10_000, timeoutMs: 30_000 },
  /**
   * Every interactive transaction's default bounds (Prisma's own are 2 s to get a connection and 5 s to
   * finish). A transaction here holds its locks for milliseconds; the bounds only decide when a starved
   * one (a loaded machine, a database failing over) is abandoned, and Prisma's defaults abandoned sound
   * work, such as a CRL publication, on a busy 2-core machine.
   */
  transaction: { maxWaitMs: 10_000, timeoutMs: 20_000 },
  timers: {
    governanceSweepMs: 60_000,
    /** The payments sweep: open orders whose session may have been paid without its order (lost event, crash). */
    orderReconcileMs: 60_000,
    /** The provider's balance against the ledger; each difference becomes a finance alert. */
    balanceReconcileMs: 3_600_000,
    /** The simulated provider's clock: monthly fundings whose period ended are billed (or ended) this often. */
    simulatedRenewalMs: 3_600_000,
    licenseRemindersMs: 3_600_000,
    oidcPurgeMs: 3_600_000,
    // App Store catch-up: notifications of the last appleSweepHours processed again, overdue subscriptions read.
    appleSweepMs: 3_600_000,
    appleSweepHours: 6,
    // Google Play catch-up: voided purchases of the last googleSweepDays, overdue subscriptions read again.
    googleSweepMs: 3_600_000,
    googleSweepDays: 3,
    /** How often the transparency log integrates new entries and signs a checkpoint (docs/LOG.md). */
    logIntegrationMs: 500,
    /** How often the newest checkpoint is sent to the witnesses that have not cosigned it. */
    logWitnessingMs: 500,
    /**
     * An instance started with MIGRATE_AT_START=0 looks this often for the migrations a separate job applies:
     * seldom enough to cost the database nothing, often enough that it is ready seconds after the job.
     */
    pendingMigrationsPollMs: 2_000,
  },
  /**
   * The per-process caches' invalidation feed (lib/db/invalidation-feed.ts): a heartbeat through the shared
   * pool every heartbeatMs; the feed goes dark (nothing cached) when none came back for heartbeatTimeoutMs,
   * three beats, so one slow beat on a busy machine does not turn caching off; a lost LISTEN connection is
   * opened again after reconnectMs.
   */
  invalidationFeed: { heartbeatMs: 5_000, heartbeatTimeoutMs: 15_000, reconnectMs: 1_000 },
  portability: {
    /**
     * Rows fetched per round trip from an org export's snapshot cursor: enough to keep the database busy,
     * few enough that memory stays flat whatever the table's size.
     */
    exportFetchRows: 5_000,
    /** The whole org export reads one snapshot; at a million ledger postings that takes tens of seconds. */
    exportSnapshotTimeoutMs: 30 * 60_000,
    /**
     * Records per INSERT of an org import, or fewer when they pass importBatchChars: each batch is one
     * statement, large enough to cut round trips, small enough to stay far from the protocol's message limit.
     */
    importBatchRecords: 5_000,
    importBatchChars: 4 * 1024 * 1024,
    /** An org import writes everything in one transaction; at a million ledger postings that takes minutes. */
    importWriteTimeoutMs: 60 * 60_000,
  },
  webhooks: {
    /** Attempts before a delivery is given up: with the outbox's doubling backoff (capped at an hour), about 9 hours. */
    maxAttempts: 16,
    /** How long a subscriber has to answer: a slow receiver must not hold an outbox runner (and its lease) for long. */
    requestTimeoutMs: 15_000,
  },
  federation: {
    /** An entity configuration is a signed JWT of a few kilobytes; anything larger is refused unread. */
    entityConfigurationMaxBytes: 64 * 1024,
    /** Another entity's configuration is fetched while someone waits (a registration, a trust chain): 3 s. */
    entityConfigurationTimeoutMs: 3_000,
  },
  witnesses: {
    /** A witness that failed is asked again after this long (or at once for a newer checkpoint). */
    retryAfterMs: 10_000,
    // How long a witness has to answer is LOG_WITNESS_TIMEOUT_MS (lib/config/env.ts): it depends on the deployment.
  },
  reconciliation: {
    /** How far back the hourly provider-balance reconciliation looks: three days covers a weekend's late events. */
    balanceWindowMs: 3 * 86_400_000,
    /** How long it leaves the newest hour to settle at the provider before comparing it. */
    balanceSettleMs: 60 * 60_000,
    /** When the payments sweep first looks at a new session, in case its completion event never arrives. */
    firstLookAtSessionMs: 15 * 60_000,
    /** How long to wait between two looks at a session still open: its event is most likely on its way. */
    recheckOpenOrderMs: 60 * 60_000,
    /** When an order whose provider could not be asked is tried again: soon, but not in a tight loop. */
    retryOrderAfterFailureMs: 5 * 60_000,
    /**
     * How long after a simulated charge begins the payments sweep looks at the order if the order-paid
     * transaction has not run by then: it normally commits within a second of the charge.
     */
    reconcileAfterChargeMs: 30_000,
  },
  appStores: {
    /** Pages of one App Store history read in one run (Apple pages by 20): a run stays bounded; the next goes on. */
    appleMaxPages: 50,
    /** Pages of Google Play's voided purchases read in one run, for the same reason. */
    googleMaxPages: 50,
  },
  log: {
    /** Entries integrated per round (one transaction, one checkpoint). */
    integrationBatch: 2_048,
  },
  body: {
    /** The largest request body an API route takes unless it says otherwise (apiRoute's maxBodyBytes). */
    defaultBytes: 64 * 1024,
    /** Provider webhooks: a Stripe event with its expanded objects runs to tens of kilobytes. */
    webhookBytes: 1024 * 1024,
  },
  auth: {
    /**
     * How recently a person must have signed in to add a passkey to their account: a session
     * left open on a shared computer, or taken some other way, cannot plant a passkey of its own.
     */
    recentAuthenticationMs: 10 * 60_000,
    /**
     * How long a passkey added beside an older one waits before it signs ballots
     * (lib/governance/require-settled-passkey.ts): time for the owner to read the
     * mail that says it was added, and remove it if it is not theirs.
     */
    newPasskeyBallotHoldMs: 60 * 60_000,
  },
  approvals: {
    /** Different finance users who approve a payout batch before it can be executed. */
    payoutBatch: 2,
    /** Different finance users who approve a split-policy version to activate it (or a vote). */
    splitPolicy: 2,
    /**
     * A refund above this many major units of its currency is held until a second finance user approves
     * it (ISO 4217 exponents turn it into minor units); zero-decimal currencies of small unit value get
     * their own figure, so the bar is about the same money everywhere.
     */
    refundSecondApproverAboveMajor: { default: 500, JPY: 75_000, KRW: 700_000, ISK: 70_000, CLP: 450_000 } as Record<
      string,
      number
    >,
  },
  payouts: {
    /**
     * A transfer refused because the provider's available balance is short (the sales' funds are still
     * pending: two to seven days at Stripe) is tried again this often, as a new attempt...
     */
    fundsRetryMs: 3_600_000,
    /** ...for at most this long; then the item fails, with that reason, and finance can retry it later. */
    fundsWaitMs: 14 * 86_400_000,
  },
  hostUsage: {
    /** Months back a host may still report (or correct) its usage for. */
    reportableMonths: 12,
    /** The most units one host may report for one month. */
    maxUnitsPerPeriod: 1_000_000_000,
  },
  rate: {
    // Sign-in counts failures only (lib/rate-limit/failure-limit.ts): a wrong code or passkey slows the address
    // that sent it, at one account and across accounts; a right one is never refused for someone else's mistakes.
    signInFailuresPerAccountAndAddress: { name: "sign-in-failures-account-address", limit: 5, windowSeconds: 900 },
    signInFailuresPerAddress: { name: "sign-in-failures-address", limit: 50, windowSeconds: 900 },
    // The sign-in page asks for passkey options in the background on every load; generous, and apart from sign-in.
    passkeyOptionsPerAddress: { name: "passkey-options-address", limit: 300, windowSeconds: 600 },
    signInPerAccount: { name: "sign-in-account", limit: 10, windowSeconds: 600 },
    signUpPerIp: { name: "sign-up-ip", limit: 10, windowSeconds: 3600 },
    mailPerIp: { name: "mail-ip", limit: 20, windowSeconds: 3600 },
    mailPerAddress: { name: "mail-address", limit: 5, windowSeconds: 900 },
    ballotStartPerVoter: { name: "governance-ballot-start", limit: 30, windowSeconds: 600 },
    ballotPerVoter: { name: "governance-ballot", limit: 30, windowSeconds: 600 },
    certificateRequestsPerLicense: { name: "license-csr", limit: 60, windowSeconds: 3600 },
  },
} as const;
