-- CreateEnum
CREATE TYPE "LicenseStatus" AS ENUM ('PENDING_PAYMENT', 'ACTIVE', 'SUSPENDED', 'REVOKED');

-- CreateEnum
CREATE TYPE "CertificateStatus" AS ENUM ('GOOD', 'HELD', 'REVOKED');

-- CreateTable
CREATE TABLE "LicensePlan" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "termDays" INTEGER NOT NULL,
    "priceMinor" INTEGER NOT NULL,
    "currency" TEXT NOT NULL,
    "entitlements" JSONB NOT NULL,
    "createdById" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "archivedAt" TIMESTAMP(3),

    CONSTRAINT "LicensePlan_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "License" (
    "id" TEXT NOT NULL,
    "theaterOrgId" TEXT NOT NULL,
    "planId" TEXT NOT NULL,
    "status" "LicenseStatus" NOT NULL DEFAULT 'PENDING_PAYMENT',
    "entitlements" JSONB NOT NULL,
    "termDays" INTEGER NOT NULL,
    "validFrom" TIMESTAMP(3),
    "validUntil" TIMESTAMP(3),
    "statusReason" TEXT,
    "createdById" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "License_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "LicenseOrder" (
    "orderId" TEXT NOT NULL,
    "licenseId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "paidAt" TIMESTAMP(3) NOT NULL,
    "validUntil" TIMESTAMP(3) NOT NULL,
    "appliedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "LicenseOrder_pkey" PRIMARY KEY ("orderId")
);

-- CreateTable
CREATE TABLE "LicenseReminder" (
    "licenseId" TEXT NOT NULL,
    "validUntil" TIMESTAMP(3) NOT NULL,
    "daysBefore" INTEGER NOT NULL,
    "sentAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "LicenseReminder_pkey" PRIMARY KEY ("licenseId","validUntil","daysBefore")
);

-- CreateTable
CREATE TABLE "CertificateAuthority" (
    "id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "serialHex" TEXT NOT NULL,
    "certificatePem" TEXT NOT NULL,
    "privateSealed" TEXT,
    "notBefore" TIMESTAMP(3) NOT NULL,
    "notAfter" TIMESTAMP(3) NOT NULL,
    "parentId" TEXT,
    "crlNumber" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "retiredAt" TIMESTAMP(3),

    CONSTRAINT "CertificateAuthority_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "LicenseCertificate" (
    "id" TEXT NOT NULL,
    "licenseId" TEXT NOT NULL,
    "issuerId" TEXT NOT NULL,
    "serialHex" TEXT NOT NULL,
    "keyAlgorithm" TEXT NOT NULL,
    "keySha256" TEXT NOT NULL,
    "certificatePem" TEXT NOT NULL,
    "licenseDocument" TEXT NOT NULL,
    "notBefore" TIMESTAMP(3) NOT NULL,
    "notAfter" TIMESTAMP(3) NOT NULL,
    "status" "CertificateStatus" NOT NULL DEFAULT 'GOOD',
    "revokedAt" TIMESTAMP(3),
    "revocationReason" TEXT,
    "supersededAt" TIMESTAMP(3),
    "createdById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "LicenseCertificate_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CertificateRevocationList" (
    "id" TEXT NOT NULL,
    "issuerId" TEXT NOT NULL,
    "crlNumber" INTEGER NOT NULL,
    "thisUpdate" TIMESTAMP(3) NOT NULL,
    "nextUpdate" TIMESTAMP(3) NOT NULL,
    "der" BYTEA NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CertificateRevocationList_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TheaterApiToken" (
    "id" TEXT NOT NULL,
    "orgId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "tokenPrefix" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMP(3),
    "lastUsedAt" TIMESTAMP(3),
    "revokedAt" TIMESTAMP(3),

    CONSTRAINT "TheaterApiToken_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "License_theaterOrgId_idx" ON "License"("theaterOrgId");

-- CreateIndex
CREATE INDEX "License_status_validUntil_idx" ON "License"("status", "validUntil");

-- CreateIndex
CREATE INDEX "LicenseOrder_licenseId_idx" ON "LicenseOrder"("licenseId");

-- CreateIndex
CREATE INDEX "CertificateAuthority_kind_idx" ON "CertificateAuthority"("kind");

-- CreateIndex
CREATE UNIQUE INDEX "LicenseCertificate_serialHex_key" ON "LicenseCertificate"("serialHex");

-- CreateIndex
CREATE INDEX "LicenseCertificate_licenseId_idx" ON "LicenseCertificate"("licenseId");

-- CreateIndex
CREATE INDEX "LicenseCertificate_issuerId_status_idx" ON "LicenseCertificate"("issuerId", "status");

-- CreateIndex
CREATE UNIQUE INDEX "CertificateRevocationList_issuerId_crlNumber_key" ON "CertificateRevocationList"("issuerId", "crlNumber");

-- CreateIndex
CREATE UNIQUE INDEX "TheaterApiToken_tokenHash_key" ON "TheaterApiToken"("tokenHash");

-- CreateIndex
CREATE INDEX "TheaterApiToken_orgId_idx" ON "TheaterApiToken"("orgId");

-- AddForeignKey
ALTER TABLE "License" ADD CONSTRAINT "License_planId_fkey" FOREIGN KEY ("planId") REFERENCES "LicensePlan"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LicenseOrder" ADD CONSTRAINT "LicenseOrder_licenseId_fkey" FOREIGN KEY ("licenseId") REFERENCES "License"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LicenseReminder" ADD CONSTRAINT "LicenseReminder_licenseId_fkey" FOREIGN KEY ("licenseId") REFERENCES "License"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LicenseCertificate" ADD CONSTRAINT "LicenseCertificate_licenseId_fkey" FOREIGN KEY ("licenseId") REFERENCES "License"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
