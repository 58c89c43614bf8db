-- CreateTable
CREATE TABLE "RelyingPartyPeriod" (
    "id" SERIAL NOT NULL,
    "rpId" TEXT NOT NULL,
    "origin" TEXT NOT NULL,
    "since" TIMESTAMP(3) NOT NULL,
    "recordedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "RelyingPartyPeriod_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "RelyingPartyPeriod_since_idx" ON "RelyingPartyPeriod"("since");

-- A Guildhall forked before this migration: each origin's relying party signed its ballots until the next
-- fork's import (the first since always). This Guildhall's own period is recorded from its latest import on
-- when it is first needed (lib/governance/relying-party-history.ts).
INSERT INTO "RelyingPartyPeriod" ("rpId", "origin", "since")
SELECT "rpId", "rpOrigin", coalesce(lag("importedAt") OVER (ORDER BY "importedAt"), TIMESTAMP '1970-01-01')
  FROM "ForkOrigin";
