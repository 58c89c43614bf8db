-- CreateTable
CREATE TABLE "StoreProduct" (
    "store" TEXT NOT NULL,
    "productId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "theaterOrgId" TEXT NOT NULL,
    "showId" TEXT,
    "planId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "StoreProduct_pkey" PRIMARY KEY ("store","productId")
);

-- CreateTable
CREATE TABLE "AppAccountToken" (
    "token" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "clientId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AppAccountToken_pkey" PRIMARY KEY ("token")
);

-- CreateTable
CREATE TABLE "StoreTransaction" (
    "store" TEXT NOT NULL,
    "transactionId" TEXT NOT NULL,
    "originalTransactionId" TEXT NOT NULL,
    "productId" TEXT NOT NULL,
    "orderId" TEXT NOT NULL,
    "userId" TEXT,
    "status" TEXT NOT NULL,
    "purchasedAt" TIMESTAMP(3) NOT NULL,
    "expiresAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "StoreTransaction_pkey" PRIMARY KEY ("store","transactionId")
);

-- CreateTable
CREATE TABLE "StoreSubscription" (
    "store" TEXT NOT NULL,
    "originalTransactionId" TEXT NOT NULL,
    "productId" TEXT NOT NULL,
    "licenseId" TEXT NOT NULL,
    "userId" TEXT,
    "state" TEXT NOT NULL,
    "expiresAt" TIMESTAMP(3),
    "stateAt" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "StoreSubscription_pkey" PRIMARY KEY ("store","originalTransactionId")
);

-- CreateIndex
CREATE INDEX "AppAccountToken_userId_idx" ON "AppAccountToken"("userId");

-- CreateIndex
CREATE UNIQUE INDEX "AppAccountToken_userId_clientId_key" ON "AppAccountToken"("userId", "clientId");

-- CreateIndex
CREATE UNIQUE INDEX "StoreTransaction_orderId_key" ON "StoreTransaction"("orderId");

-- CreateIndex
CREATE INDEX "StoreTransaction_store_originalTransactionId_idx" ON "StoreTransaction"("store", "originalTransactionId");

-- CreateIndex
CREATE INDEX "StoreSubscription_licenseId_idx" ON "StoreSubscription"("licenseId");
