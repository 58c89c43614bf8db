-- AlterTable
ALTER TABLE "PaymentOrder" ADD COLUMN     "checkoutExpiresAt" TIMESTAMP(3),
ADD COLUMN     "reconcileAfter" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "SimulatedProviderObject" ADD COLUMN     "expiresAt" TIMESTAMP(3);

-- CreateIndex
CREATE INDEX "PaymentOrder_reconcileAfter_idx" ON "PaymentOrder"("reconcileAfter");

-- CreateIndex
CREATE INDEX "SimulatedProviderObject_kind_sourceRef_idx" ON "SimulatedProviderObject"("kind", "sourceRef");
