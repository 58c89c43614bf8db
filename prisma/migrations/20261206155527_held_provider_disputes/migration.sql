-- CreateTable
CREATE TABLE "HeldProviderDispute" (
    "provider" TEXT NOT NULL,
    "disputeId" TEXT NOT NULL,
    "paymentRef" TEXT NOT NULL,
    "amountMinor" BIGINT NOT NULL,
    "currency" TEXT NOT NULL,
    "outcome" TEXT,
    "heldAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "appliedAt" TIMESTAMP(3),

    CONSTRAINT "HeldProviderDispute_pkey" PRIMARY KEY ("provider","disputeId")
);

-- CreateIndex
CREATE INDEX "HeldProviderDispute_provider_paymentRef_idx" ON "HeldProviderDispute"("provider", "paymentRef");
