-- AlterTable
ALTER TABLE "RefundRequest" ADD COLUMN     "fundingPaymentId" TEXT,
ALTER COLUMN "orderId" DROP NOT NULL;

-- CreateTable
CREATE TABLE "HeldProviderRefund" (
    "provider" TEXT NOT NULL,
    "refundId" TEXT NOT NULL,
    "paymentRef" TEXT NOT NULL,
    "amountMinor" BIGINT NOT NULL,
    "currency" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "refundRequestId" TEXT,
    "heldAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "appliedAt" TIMESTAMP(3),

    CONSTRAINT "HeldProviderRefund_pkey" PRIMARY KEY ("provider","refundId")
);

-- CreateIndex
CREATE INDEX "HeldProviderRefund_provider_paymentRef_idx" ON "HeldProviderRefund"("provider", "paymentRef");

-- CreateIndex
CREATE INDEX "RefundRequest_fundingPaymentId_status_idx" ON "RefundRequest"("fundingPaymentId", "status");

-- CreateIndex
CREATE UNIQUE INDEX "RefundRequest_fundingPaymentId_requestKey_key" ON "RefundRequest"("fundingPaymentId", "requestKey");

-- A refund request is of an order or of a funder's payment: exactly one of the two.
ALTER TABLE "RefundRequest" ADD CONSTRAINT "RefundRequest_one_payment"
  CHECK (("orderId" IS NULL) <> ("fundingPaymentId" IS NULL));
