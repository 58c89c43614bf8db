-- CreateTable
CREATE TABLE "FederationClientRegistration" (
    "clientId" TEXT NOT NULL,
    "hostOrgId" TEXT NOT NULL,
    "resolvedAt" TIMESTAMP(3) NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "FederationClientRegistration_pkey" PRIMARY KEY ("clientId")
);

-- CreateIndex
CREATE INDEX "FederationClientRegistration_hostOrgId_idx" ON "FederationClientRegistration"("hostOrgId");
