-- AlterTable
ALTER TABLE "PaymentOrder" ADD COLUMN     "providerFeeMinor" BIGINT,
ADD COLUMN     "settledAmountMinor" BIGINT,
ADD COLUMN     "settlementCurrency" TEXT;

-- CreateTable
CREATE TABLE "FinanceAlert" (
    "id" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "message" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "resolvedAt" TIMESTAMP(3),
    "resolvedById" TEXT,

    CONSTRAINT "FinanceAlert_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "FinanceAlert_key_key" ON "FinanceAlert"("key");

-- CreateIndex
CREATE INDEX "FinanceAlert_resolvedAt_createdAt_idx" ON "FinanceAlert"("resolvedAt", "createdAt");
