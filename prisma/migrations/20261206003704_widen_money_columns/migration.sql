-- Money columns from int4 to int8, like the ledger's: a sum of refunds or a yen price can pass 2^31.
-- Each ALTER rewrites its table under an exclusive lock; these tables are small next to the ledger.

-- AlterTable
ALTER TABLE "LicensePlan" ALTER COLUMN "priceMinor" SET DATA TYPE BIGINT;

-- AlterTable
ALTER TABLE "PaymentAdjustment" ALTER COLUMN "amountMinor" SET DATA TYPE BIGINT;

-- AlterTable
ALTER TABLE "PaymentOrder" ALTER COLUMN "amountMinor" SET DATA TYPE BIGINT,
ALTER COLUMN "feeMinor" SET DATA TYPE BIGINT,
ALTER COLUMN "refundedMinor" SET DATA TYPE BIGINT,
ALTER COLUMN "disputedMinor" SET DATA TYPE BIGINT;

-- AlterTable
ALTER TABLE "SimulatedProviderObject" ALTER COLUMN "amountMinor" SET DATA TYPE BIGINT,
ALTER COLUMN "feeMinor" SET DATA TYPE BIGINT;

-- AlterTable
ALTER TABLE "SplitPolicy" ALTER COLUMN "orgFixedMinor" SET DATA TYPE BIGINT,
ALTER COLUMN "developersFundFixedMinor" SET DATA TYPE BIGINT;

-- AlterTable
ALTER TABLE "TicketSale" ALTER COLUMN "amountMinor" SET DATA TYPE BIGINT;
