-- AlterTable
ALTER TABLE "PayoutItem" ADD COLUMN     "waitingReason" TEXT,
ADD COLUMN     "waitingSince" TIMESTAMP(3);
