-- CreateTable
CREATE TABLE "PaymentOrder" (
    "id" TEXT NOT NULL,
    "productKind" TEXT NOT NULL,
    "theaterOrgId" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "lineItems" JSONB NOT NULL,
    "amountMinor" INTEGER NOT NULL,
    "currency" TEXT NOT NULL,
    "fulfilmentKind" TEXT NOT NULL,
    "fulfilment" JSONB NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'open',
    "provider" TEXT NOT NULL,
    "providerSessionId" TEXT,
    "providerPaymentRef" TEXT,
    "checkoutUrl" TEXT,
    "successPath" TEXT NOT NULL,
    "cancelPath" TEXT NOT NULL,
    "feeMinor" INTEGER NOT NULL DEFAULT 0,
    "refundedMinor" INTEGER NOT NULL DEFAULT 0,
    "disputedMinor" INTEGER NOT NULL DEFAULT 0,
    "idempotencyScope" TEXT,
    "idempotencyKey" TEXT,
    "requestHash" TEXT,
    "createdByType" TEXT NOT NULL,
    "createdById" TEXT,
    "saleEntryId" TEXT,
    "policyVersionId" TEXT,
    "failureReason" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "paidAt" TIMESTAMP(3),

    CONSTRAINT "PaymentOrder_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PaymentAdjustment" (
    "id" TEXT NOT NULL,
    "orderId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "amountMinor" INTEGER NOT NULL,
    "currency" TEXT NOT NULL,
    "providerRef" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "journalEntryId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "closedAt" TIMESTAMP(3),

    CONSTRAINT "PaymentAdjustment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PaymentEvent" (
    "provider" TEXT NOT NULL,
    "eventId" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "outcome" TEXT NOT NULL,
    "note" TEXT,
    "receivedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PaymentEvent_pkey" PRIMARY KEY ("provider","eventId")
);

-- CreateTable
CREATE TABLE "TicketSale" (
    "orderId" TEXT NOT NULL,
    "showId" TEXT NOT NULL,
    "externalRef" TEXT,
    "theaterOrgId" TEXT NOT NULL,
    "quantity" INTEGER NOT NULL,
    "amountMinor" INTEGER NOT NULL,
    "currency" TEXT NOT NULL,
    "clientId" TEXT,
    "fulfilledAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "TicketSale_pkey" PRIMARY KEY ("orderId")
);

-- CreateTable
CREATE TABLE "SimulatedProviderObject" (
    "id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "idempotencyKey" TEXT,
    "amountMinor" INTEGER NOT NULL DEFAULT 0,
    "feeMinor" INTEGER NOT NULL DEFAULT 0,
    "currency" TEXT NOT NULL DEFAULT 'EUR',
    "destination" TEXT,
    "sourceRef" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SimulatedProviderObject_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "LedgerAccount" (
    "id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "orgId" TEXT,
    "currency" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "LedgerAccount_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "JournalEntry" (
    "id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "orderId" TEXT,
    "payoutItemId" TEXT,
    "reversesEntryId" TEXT,
    "memo" TEXT NOT NULL,
    "occurredAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "JournalEntry_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "LedgerPosting" (
    "id" BIGSERIAL NOT NULL,
    "entryId" TEXT NOT NULL,
    "accountId" TEXT NOT NULL,
    "currency" TEXT NOT NULL,
    "amountMinor" BIGINT NOT NULL,

    CONSTRAINT "LedgerPosting_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SplitPolicy" (
    "id" TEXT NOT NULL,
    "productKind" TEXT NOT NULL,
    "currency" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'draft',
    "theaterBps" INTEGER NOT NULL,
    "developersFundBps" INTEGER NOT NULL,
    "hostsBps" INTEGER NOT NULL,
    "orgBps" INTEGER NOT NULL,
    "orgFixedMinor" INTEGER NOT NULL DEFAULT 0,
    "developersFundFixedMinor" INTEGER NOT NULL DEFAULT 0,
    "hostRule" TEXT NOT NULL,
    "note" TEXT,
    "createdById" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "activatedAt" TIMESTAMP(3),
    "activatedVia" TEXT,
    "proposalId" TEXT,
    "supersededAt" TIMESTAMP(3),

    CONSTRAINT "SplitPolicy_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SplitPolicyApproval" (
    "policyId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SplitPolicyApproval_pkey" PRIMARY KEY ("policyId","userId")
);

-- CreateTable
CREATE TABLE "HostUsageReport" (
    "hostOrgId" TEXT NOT NULL,
    "period" TEXT NOT NULL,
    "units" INTEGER NOT NULL,
    "reportedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "HostUsageReport_pkey" PRIMARY KEY ("hostOrgId","period")
);

-- CreateTable
CREATE TABLE "PayeeAccount" (
    "id" TEXT NOT NULL,
    "ledgerAccountKind" TEXT NOT NULL,
    "orgId" TEXT,
    "provider" TEXT NOT NULL,
    "providerAccountId" TEXT NOT NULL,
    "onboardingStatus" TEXT NOT NULL DEFAULT 'pending',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PayeeAccount_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PayoutBatch" (
    "id" TEXT NOT NULL,
    "currency" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'draft',
    "periodStart" TIMESTAMP(3),
    "periodEnd" TIMESTAMP(3),
    "cutoffPostingId" BIGINT NOT NULL,
    "totalMinor" BIGINT NOT NULL,
    "itemCount" INTEGER NOT NULL,
    "createdById" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "approvedAt" TIMESTAMP(3),
    "executedAt" TIMESTAMP(3),
    "completedAt" TIMESTAMP(3),

    CONSTRAINT "PayoutBatch_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PayoutBatchApproval" (
    "batchId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PayoutBatchApproval_pkey" PRIMARY KEY ("batchId","userId")
);

-- CreateTable
CREATE TABLE "PayoutItem" (
    "id" TEXT NOT NULL,
    "batchId" TEXT NOT NULL,
    "ledgerAccountId" TEXT NOT NULL,
    "orgId" TEXT,
    "amountMinor" BIGINT NOT NULL,
    "currency" TEXT NOT NULL,
    "fromPostingId" BIGINT NOT NULL,
    "toPostingId" BIGINT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "destination" TEXT,
    "providerTransferId" TEXT,
    "journalEntryId" TEXT,
    "failureReason" TEXT,
    "postedAt" TIMESTAMP(3),

    CONSTRAINT "PayoutItem_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "PaymentOrder_providerSessionId_key" ON "PaymentOrder"("providerSessionId");

-- CreateIndex
CREATE UNIQUE INDEX "PaymentOrder_saleEntryId_key" ON "PaymentOrder"("saleEntryId");

-- CreateIndex
CREATE INDEX "PaymentOrder_theaterOrgId_createdAt_idx" ON "PaymentOrder"("theaterOrgId", "createdAt");

-- CreateIndex
CREATE INDEX "PaymentOrder_status_createdAt_idx" ON "PaymentOrder"("status", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "PaymentOrder_idempotencyScope_idempotencyKey_key" ON "PaymentOrder"("idempotencyScope", "idempotencyKey");

-- CreateIndex
CREATE INDEX "PaymentAdjustment_orderId_idx" ON "PaymentAdjustment"("orderId");

-- CreateIndex
CREATE UNIQUE INDEX "PaymentAdjustment_kind_providerRef_key" ON "PaymentAdjustment"("kind", "providerRef");

-- CreateIndex
CREATE INDEX "TicketSale_showId_idx" ON "TicketSale"("showId");

-- CreateIndex
CREATE UNIQUE INDEX "SimulatedProviderObject_idempotencyKey_key" ON "SimulatedProviderObject"("idempotencyKey");

-- CreateIndex
CREATE INDEX "SimulatedProviderObject_kind_createdAt_idx" ON "SimulatedProviderObject"("kind", "createdAt");

-- CreateIndex
CREATE INDEX "LedgerAccount_kind_idx" ON "LedgerAccount"("kind");

-- CreateIndex
CREATE UNIQUE INDEX "LedgerAccount_id_currency_key" ON "LedgerAccount"("id", "currency");

-- CreateIndex
CREATE UNIQUE INDEX "JournalEntry_reversesEntryId_key" ON "JournalEntry"("reversesEntryId");

-- CreateIndex
CREATE INDEX "JournalEntry_orderId_idx" ON "JournalEntry"("orderId");

-- CreateIndex
CREATE INDEX "LedgerPosting_entryId_idx" ON "LedgerPosting"("entryId");

-- CreateIndex
CREATE INDEX "LedgerPosting_accountId_id_idx" ON "LedgerPosting"("accountId", "id");

-- CreateIndex
CREATE INDEX "SplitPolicy_productKind_currency_status_idx" ON "SplitPolicy"("productKind", "currency", "status");

-- CreateIndex
CREATE UNIQUE INDEX "SplitPolicy_productKind_currency_version_key" ON "SplitPolicy"("productKind", "currency", "version");

-- CreateIndex
CREATE UNIQUE INDEX "PayeeAccount_orgId_key" ON "PayeeAccount"("orgId");

-- CreateIndex
CREATE UNIQUE INDEX "PayeeAccount_providerAccountId_key" ON "PayeeAccount"("providerAccountId");

-- CreateIndex
CREATE INDEX "PayoutBatch_status_createdAt_idx" ON "PayoutBatch"("status", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "PayoutItem_providerTransferId_key" ON "PayoutItem"("providerTransferId");

-- CreateIndex
CREATE INDEX "PayoutItem_ledgerAccountId_status_idx" ON "PayoutItem"("ledgerAccountId", "status");

-- CreateIndex
CREATE INDEX "PayoutItem_orgId_idx" ON "PayoutItem"("orgId");

-- CreateIndex
CREATE UNIQUE INDEX "PayoutItem_batchId_ledgerAccountId_key" ON "PayoutItem"("batchId", "ledgerAccountId");

-- AddForeignKey
ALTER TABLE "LedgerPosting" ADD CONSTRAINT "LedgerPosting_entryId_fkey" FOREIGN KEY ("entryId") REFERENCES "JournalEntry"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LedgerPosting" ADD CONSTRAINT "LedgerPosting_accountId_currency_fkey" FOREIGN KEY ("accountId", "currency") REFERENCES "LedgerAccount"("id", "currency") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SplitPolicyApproval" ADD CONSTRAINT "SplitPolicyApproval_policyId_fkey" FOREIGN KEY ("policyId") REFERENCES "SplitPolicy"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PayoutBatchApproval" ADD CONSTRAINT "PayoutBatchApproval_batchId_fkey" FOREIGN KEY ("batchId") REFERENCES "PayoutBatch"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PayoutItem" ADD CONSTRAINT "PayoutItem_batchId_fkey" FOREIGN KEY ("batchId") REFERENCES "PayoutBatch"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- ---------------------------------------------------------------- ledger invariants, appended by hand
-- Amounts are integer minor units with a three-letter currency, never zero postings.
ALTER TABLE "LedgerPosting" ADD CONSTRAINT "LedgerPosting_amount_nonzero" CHECK ("amountMinor" <> 0);
ALTER TABLE "LedgerPosting" ADD CONSTRAINT "LedgerPosting_currency_iso" CHECK ("currency" ~ '^[A-Z]{3}$');
ALTER TABLE "LedgerAccount" ADD CONSTRAINT "LedgerAccount_kind_known" CHECK ("kind" IN ('processor_clearing','theater_payable','developers_fund','host_payable','org_operations','processor_fees','refunds'));
ALTER TABLE "PaymentOrder" ADD CONSTRAINT "PaymentOrder_amounts" CHECK ("amountMinor" > 0 AND "feeMinor" >= 0 AND "refundedMinor" >= 0 AND "disputedMinor" >= 0 AND "refundedMinor" + "disputedMinor" <= "amountMinor");
ALTER TABLE "PaymentAdjustment" ADD CONSTRAINT "PaymentAdjustment_amount_positive" CHECK ("amountMinor" > 0);
ALTER TABLE "PayoutItem" ADD CONSTRAINT "PayoutItem_amount_positive" CHECK ("amountMinor" > 0);
ALTER TABLE "SplitPolicy" ADD CONSTRAINT "SplitPolicy_bps_sum" CHECK ("theaterBps" >= 0 AND "developersFundBps" >= 0 AND "hostsBps" >= 0 AND "orgBps" >= 0 AND "theaterBps" + "developersFundBps" + "hostsBps" + "orgBps" = 10000 AND "orgFixedMinor" >= 0 AND "developersFundFixedMinor" >= 0);

-- Journal entries and postings are immutable: corrections are reversing entries.
CREATE FUNCTION ledger_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'ledger rows are immutable (% on %)', TG_OP, TG_TABLE_NAME USING ERRCODE = 'integrity_constraint_violation';
END $$;
CREATE TRIGGER "JournalEntry_immutable" BEFORE UPDATE OR DELETE ON "JournalEntry" FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change();
CREATE TRIGGER "LedgerPosting_immutable" BEFORE UPDATE OR DELETE ON "LedgerPosting" FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change();
CREATE TRIGGER "JournalEntry_no_truncate" BEFORE TRUNCATE ON "JournalEntry" FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change();
CREATE TRIGGER "LedgerPosting_no_truncate" BEFORE TRUNCATE ON "LedgerPosting" FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change();

-- At commit, each new entry must have two or more postings summing to zero in
-- every currency. One check per entry (not per posting) keeps bulk recording fast.
CREATE FUNCTION ledger_check_entry_balanced() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  n integer;
  unbalanced text;
BEGIN
  SELECT count(*) INTO n FROM "LedgerPosting" WHERE "entryId" = NEW."id";
  IF n < 2 THEN
    RAISE EXCEPTION 'journal entry % has % posting(s); two or more are required', NEW."id", n USING ERRCODE = 'check_violation';
  END IF;
  SELECT "currency" INTO unbalanced FROM "LedgerPosting" WHERE "entryId" = NEW."id" GROUP BY "currency" HAVING sum("amountMinor") <> 0 LIMIT 1;
  IF unbalanced IS NOT NULL THEN
    RAISE EXCEPTION 'journal entry % does not sum to zero in %', NEW."id", unbalanced USING ERRCODE = 'check_violation';
  END IF;
  RETURN NULL;
END $$;
CREATE CONSTRAINT TRIGGER "JournalEntry_balanced" AFTER INSERT ON "JournalEntry"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION ledger_check_entry_balanced();

-- A posting may only join an entry made in the same transaction: postings
-- added later to a committed entry would change history.
CREATE FUNCTION ledger_check_posting_entry_new() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (
    SELECT 1 FROM new_postings p JOIN "JournalEntry" e ON e."id" = p."entryId"
    WHERE e.xmin::text <> (txid_current() % 4294967296)::text
  ) THEN
    RAISE EXCEPTION 'postings can only be added to a journal entry in the transaction that creates it' USING ERRCODE = 'check_violation';
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER "LedgerPosting_entry_new" AFTER INSERT ON "LedgerPosting"
  REFERENCING NEW TABLE AS new_postings FOR EACH STATEMENT EXECUTE FUNCTION ledger_check_posting_entry_new();
