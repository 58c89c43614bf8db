-- CreateTable
CREATE TABLE "OidcClient" (
    "id" TEXT NOT NULL,
    "hostOrgId" TEXT,
    "name" TEXT NOT NULL,
    "secretHash" TEXT,
    "tokenEndpointAuthMethod" TEXT NOT NULL,
    "applicationType" TEXT NOT NULL DEFAULT 'web',
    "redirectUris" TEXT[],
    "postLogoutRedirectUris" TEXT[],
    "backchannelLogoutUri" TEXT,
    "grantTypes" TEXT[],
    "scopes" TEXT[],
    "subjectType" TEXT NOT NULL DEFAULT 'public',
    "sectorIdentifier" TEXT,
    "jwks" JSONB,
    "jwksUri" TEXT,
    "idTokenSignedResponseAlg" TEXT NOT NULL DEFAULT 'RS256',
    "status" TEXT NOT NULL,
    "createdById" TEXT,
    "registeredVia" TEXT NOT NULL DEFAULT 'portal',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "OidcClient_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "OidcGrant" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "clientId" TEXT NOT NULL,
    "scopes" TEXT[],
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "revokedAt" TIMESTAMP(3),

    CONSTRAINT "OidcGrant_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "OidcInteraction" (
    "id" TEXT NOT NULL,
    "clientId" TEXT NOT NULL,
    "params" JSONB NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "OidcInteraction_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "OidcAuthorizationCode" (
    "codeHash" TEXT NOT NULL,
    "clientId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "grantId" TEXT NOT NULL,
    "sid" TEXT NOT NULL,
    "redirectUri" TEXT NOT NULL,
    "scopes" TEXT[],
    "nonce" TEXT,
    "codeChallenge" TEXT NOT NULL,
    "authTime" TIMESTAMP(3) NOT NULL,
    "authMethod" TEXT NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "usedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "OidcAuthorizationCode_pkey" PRIMARY KEY ("codeHash")
);

-- CreateTable
CREATE TABLE "OidcToken" (
    "id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "tokenHash" TEXT,
    "clientId" TEXT NOT NULL,
    "userId" TEXT,
    "grantId" TEXT,
    "familyId" TEXT,
    "sid" TEXT,
    "scopes" TEXT[],
    "authTime" TIMESTAMP(3),
    "authMethod" TEXT,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "usedAt" TIMESTAMP(3),
    "revokedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "OidcToken_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "OidcInitialAccessToken" (
    "id" TEXT NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "hostOrgId" TEXT,
    "createdById" TEXT NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "revokedAt" TIMESTAMP(3),
    "lastUsedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "OidcInitialAccessToken_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "OidcClientAssertion" (
    "jtiHash" TEXT NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "OidcClientAssertion_pkey" PRIMARY KEY ("jtiHash")
);

-- CreateIndex
CREATE INDEX "OidcClient_hostOrgId_idx" ON "OidcClient"("hostOrgId");

-- CreateIndex
CREATE UNIQUE INDEX "OidcGrant_userId_clientId_key" ON "OidcGrant"("userId", "clientId");

-- CreateIndex
CREATE INDEX "OidcInteraction_expiresAt_idx" ON "OidcInteraction"("expiresAt");

-- CreateIndex
CREATE UNIQUE INDEX "OidcToken_tokenHash_key" ON "OidcToken"("tokenHash");

-- CreateIndex
CREATE INDEX "OidcToken_familyId_idx" ON "OidcToken"("familyId");

-- CreateIndex
CREATE INDEX "OidcToken_userId_clientId_idx" ON "OidcToken"("userId", "clientId");

-- CreateIndex
CREATE INDEX "OidcToken_sid_idx" ON "OidcToken"("sid");

-- CreateIndex
CREATE UNIQUE INDEX "OidcInitialAccessToken_tokenHash_key" ON "OidcInitialAccessToken"("tokenHash");

-- CreateIndex
CREATE INDEX "OidcClientAssertion_expiresAt_idx" ON "OidcClientAssertion"("expiresAt");

-- AddForeignKey
ALTER TABLE "OidcToken" ADD CONSTRAINT "OidcToken_clientId_fkey" FOREIGN KEY ("clientId") REFERENCES "OidcClient"("id") ON DELETE CASCADE ON UPDATE CASCADE;
