-- CreateTable
CREATE TABLE "FederationHost" (
    "hostOrgId" TEXT NOT NULL,
    "entityId" TEXT NOT NULL,
    "endpoints" JSONB NOT NULL,
    "jwks" JSONB NOT NULL,
    "jurisdiction" TEXT NOT NULL,
    "provider" TEXT NOT NULL,
    "admittedAt" TIMESTAMP(3) NOT NULL,
    "admissionProposalId" TEXT NOT NULL,
    "removedAt" TIMESTAMP(3),
    "removalProposalId" TEXT,

    CONSTRAINT "FederationHost_pkey" PRIMARY KEY ("hostOrgId")
);

-- CreateTable
CREATE TABLE "ServiceConfiguration" (
    "version" INTEGER NOT NULL,
    "jws" TEXT NOT NULL,
    "digest" TEXT NOT NULL,
    "cause" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ServiceConfiguration_pkey" PRIMARY KEY ("version")
);

-- CreateIndex
CREATE UNIQUE INDEX "FederationHost_entityId_key" ON "FederationHost"("entityId");

-- CreateIndex
CREATE INDEX "FederationHost_removedAt_idx" ON "FederationHost"("removedAt");
