-- AlterTable
ALTER TABLE "HostUsageReport" ADD COLUMN     "signedAt" TIMESTAMP(3),
ADD COLUMN     "signedKid" TEXT,
ADD COLUMN     "signedReport" TEXT;
