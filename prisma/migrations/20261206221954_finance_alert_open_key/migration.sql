-- One open alert per key instead of one alert per key for ever: a condition seen again after finance resolved
-- its alert (e.g. a store funding refused again for want of a policy) raises a new alert. `openKey` holds the
-- key while the alert is open and is cleared when it is resolved; `key` stays, for finding an alert's history.

-- DropIndex
DROP INDEX "FinanceAlert_key_key";

-- AlterTable
ALTER TABLE "FinanceAlert" ADD COLUMN     "openKey" TEXT;

-- The alerts open now keep their key's place (resolved ones were unique by key, so these are too).
UPDATE "FinanceAlert" SET "openKey" = "key" WHERE "resolvedAt" IS NULL;

-- CreateIndex
CREATE UNIQUE INDEX "FinanceAlert_openKey_key" ON "FinanceAlert"("openKey");

-- CreateIndex
CREATE INDEX "FinanceAlert_key_idx" ON "FinanceAlert"("key");
