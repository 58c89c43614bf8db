-- AlterTable
ALTER TABLE "HostReleaseDeclaration" ADD COLUMN     "costCurrency" TEXT,
ADD COLUMN     "monthlyCostMinor" BIGINT;

-- CreateTable
CREATE TABLE "Funding" (
    "id" TEXT NOT NULL,
    "releaseLineId" TEXT,
    "hostOrgId" TEXT,
    "funderUserId" TEXT NOT NULL,
    "publicName" TEXT,
    "interval" TEXT NOT NULL,
    "amountMinor" BIGINT NOT NULL,
    "currency" TEXT NOT NULL,
    "provider" TEXT NOT NULL,
    "providerSessionId" TEXT,
    "providerSubscriptionId" TEXT,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "paidThrough" TIMESTAMP(3),
    "cancelReason" TEXT,
    "canceledAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Funding_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "FundingPayment" (
    "id" TEXT NOT NULL,
    "fundingId" TEXT NOT NULL,
    "provider" TEXT NOT NULL,
    "providerRef" TEXT NOT NULL,
    "paymentRef" TEXT NOT NULL,
    "amountMinor" BIGINT NOT NULL,
    "feeMinor" BIGINT NOT NULL,
    "currency" TEXT NOT NULL,
    "journalEntryId" TEXT NOT NULL,
    "paidAt" TIMESTAMP(3) NOT NULL,
    "periodEnd" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "FundingPayment_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Funding_providerSessionId_key" ON "Funding"("providerSessionId");

-- CreateIndex
CREATE UNIQUE INDEX "Funding_providerSubscriptionId_key" ON "Funding"("providerSubscriptionId");

-- CreateIndex
CREATE INDEX "Funding_releaseLineId_status_idx" ON "Funding"("releaseLineId", "status");

-- CreateIndex
CREATE INDEX "Funding_hostOrgId_status_idx" ON "Funding"("hostOrgId", "status");

-- CreateIndex
CREATE INDEX "Funding_funderUserId_createdAt_idx" ON "Funding"("funderUserId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "FundingPayment_journalEntryId_key" ON "FundingPayment"("journalEntryId");

-- CreateIndex
CREATE INDEX "FundingPayment_fundingId_idx" ON "FundingPayment"("fundingId");

-- CreateIndex
CREATE INDEX "FundingPayment_paymentRef_idx" ON "FundingPayment"("paymentRef");

-- CreateIndex
CREATE UNIQUE INDEX "FundingPayment_provider_providerRef_key" ON "FundingPayment"("provider", "providerRef");

-- AddForeignKey
ALTER TABLE "FundingPayment" ADD CONSTRAINT "FundingPayment_fundingId_fkey" FOREIGN KEY ("fundingId") REFERENCES "Funding"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
