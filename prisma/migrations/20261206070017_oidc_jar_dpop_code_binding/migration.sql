-- AlterTable
ALTER TABLE "EmailCode" ADD COLUMN     "bindingHash" TEXT;

-- AlterTable
ALTER TABLE "OidcAuthorizationCode" ADD COLUMN     "dpopJkt" TEXT;

-- AlterTable
ALTER TABLE "OidcClient" ADD COLUMN     "dpopBoundAccessTokens" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "requireSignedRequestObject" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "OidcPushedRequest" ADD COLUMN     "signedRequestObject" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "OidcToken" ADD COLUMN     "dpopJkt" TEXT;

-- CreateTable
CREATE TABLE "OidcUsedJti" (
    "jtiHash" TEXT NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "OidcUsedJti_pkey" PRIMARY KEY ("jtiHash")
);

-- CreateIndex
CREATE INDEX "OidcUsedJti_expiresAt_idx" ON "OidcUsedJti"("expiresAt");
