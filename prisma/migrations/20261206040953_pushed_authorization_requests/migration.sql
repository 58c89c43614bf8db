-- AlterTable
ALTER TABLE "OidcClient" ADD COLUMN     "requirePushedAuthorizationRequests" BOOLEAN NOT NULL DEFAULT false;

-- CreateTable
CREATE TABLE "OidcPushedRequest" (
    "requestUriHash" TEXT NOT NULL,
    "clientId" TEXT NOT NULL,
    "params" JSONB NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "usedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "OidcPushedRequest_pkey" PRIMARY KEY ("requestUriHash")
);

-- CreateIndex
CREATE INDEX "OidcPushedRequest_expiresAt_idx" ON "OidcPushedRequest"("expiresAt");
