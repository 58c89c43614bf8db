-- AlterTable
ALTER TABLE "Funding" ADD COLUMN     "storeStateAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "StoreProduct" ADD COLUMN     "hostOrgId" TEXT,
ADD COLUMN     "releaseLineId" TEXT,
ALTER COLUMN "theaterOrgId" DROP NOT NULL;

-- A product sells exactly one thing: tickets of a theater's show, a theater's license of a plan, or funding of a
-- release line or of one host.
ALTER TABLE "StoreProduct" ADD CONSTRAINT "StoreProduct_sells_one_thing" CHECK (
  ("kind" = 'ticket' AND "theaterOrgId" IS NOT NULL AND "showId" IS NOT NULL AND "releaseLineId" IS NULL AND "hostOrgId" IS NULL)
  OR ("kind" = 'license' AND "theaterOrgId" IS NOT NULL AND "planId" IS NOT NULL AND "releaseLineId" IS NULL AND "hostOrgId" IS NULL)
  OR ("kind" = 'funding' AND "theaterOrgId" IS NULL AND "showId" IS NULL AND "planId" IS NULL
      AND ("releaseLineId" IS NULL) <> ("hostOrgId" IS NULL))
);
