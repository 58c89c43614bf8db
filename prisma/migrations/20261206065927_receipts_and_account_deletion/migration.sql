-- AlterTable
ALTER TABLE "PaymentOrder" ADD COLUMN     "buyerUserId" TEXT;

-- AlterTable
ALTER TABLE "User" ADD COLUMN     "deletedAt" TIMESTAMP(3);

-- CreateTable
CREATE TABLE "Receipt" (
    "id" TEXT NOT NULL,
    "orderId" TEXT NOT NULL,
    "buyerUserId" TEXT,
    "theaterOrgId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "jws" TEXT NOT NULL,
    "issuedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Receipt_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Receipt_orderId_key" ON "Receipt"("orderId");

-- CreateIndex
CREATE INDEX "Receipt_buyerUserId_issuedAt_idx" ON "Receipt"("buyerUserId", "issuedAt");

-- CreateIndex
CREATE INDEX "Receipt_theaterOrgId_issuedAt_idx" ON "Receipt"("theaterOrgId", "issuedAt");

-- CreateIndex
CREATE INDEX "PaymentOrder_buyerUserId_idx" ON "PaymentOrder"("buyerUserId");
