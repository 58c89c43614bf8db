-- AlterTable
ALTER TABLE "PaymentAdjustment" ADD COLUMN     "providerStatus" TEXT,
ADD COLUMN     "reversalEntryId" TEXT;

-- CreateTable
CREATE TABLE "RefundRequest" (
    "id" TEXT NOT NULL,
    "orderId" TEXT NOT NULL,
    "requestKey" TEXT NOT NULL,
    "amountMinor" BIGINT NOT NULL,
    "currency" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "requestedById" TEXT NOT NULL,
    "approvedById" TEXT,
    "providerRefundId" TEXT,
    "adjustmentId" TEXT,
    "failureMessage" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "decidedAt" TIMESTAMP(3),

    CONSTRAINT "RefundRequest_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "RefundRequest_providerRefundId_key" ON "RefundRequest"("providerRefundId");

-- CreateIndex
CREATE UNIQUE INDEX "RefundRequest_adjustmentId_key" ON "RefundRequest"("adjustmentId");

-- CreateIndex
CREATE INDEX "RefundRequest_orderId_status_idx" ON "RefundRequest"("orderId", "status");

-- CreateIndex
CREATE INDEX "RefundRequest_status_createdAt_idx" ON "RefundRequest"("status", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "RefundRequest_orderId_requestKey_key" ON "RefundRequest"("orderId", "requestKey");
