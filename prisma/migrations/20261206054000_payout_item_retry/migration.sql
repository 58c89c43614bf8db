-- AlterTable
ALTER TABLE "PayoutBatch" ADD COLUMN     "retriedAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "PayoutItem" ADD COLUMN     "attempt" INTEGER NOT NULL DEFAULT 1,
ADD COLUMN     "failedAt" TIMESTAMP(3);
