-- AlterTable
ALTER TABLE "FundingPayment" ADD COLUMN     "disputedMinor" BIGINT NOT NULL DEFAULT 0,
ADD COLUMN     "refundedMinor" BIGINT NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "PaymentAdjustment" ADD COLUMN     "fundingPaymentId" TEXT,
ALTER COLUMN "orderId" DROP NOT NULL;

-- CreateIndex
CREATE INDEX "PaymentAdjustment_fundingPaymentId_idx" ON "PaymentAdjustment"("fundingPaymentId");

-- An adjustment is of an order or of a funder's payment, never both or neither.
ALTER TABLE "PaymentAdjustment" ADD CONSTRAINT "PaymentAdjustment_one_subject"
  CHECK (("orderId" IS NULL) <> ("fundingPaymentId" IS NULL));
