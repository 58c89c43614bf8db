-- CreateTable
CREATE TABLE "TheaterImport" (
    "id" TEXT NOT NULL,
    "theaterOrgId" TEXT NOT NULL,
    "originIssuer" TEXT NOT NULL,
    "digest" TEXT NOT NULL,
    "signature" TEXT NOT NULL,
    "document" JSONB NOT NULL,
    "importedById" TEXT,
    "importedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "TheaterImport_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "TheaterImport_theaterOrgId_key" ON "TheaterImport"("theaterOrgId");
