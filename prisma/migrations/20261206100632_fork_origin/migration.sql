-- CreateTable
CREATE TABLE "ForkOrigin" (
    "id" TEXT NOT NULL,
    "issuer" TEXT NOT NULL,
    "rpId" TEXT NOT NULL,
    "rpOrigin" TEXT NOT NULL,
    "logOrigin" TEXT NOT NULL,
    "logVerifierKey" TEXT NOT NULL,
    "treeSize" BIGINT NOT NULL,
    "rootHash" TEXT NOT NULL,
    "checkpoint" TEXT NOT NULL,
    "manifestDigest" TEXT NOT NULL,
    "exportedAt" TIMESTAMP(3) NOT NULL,
    "importedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ForkOrigin_pkey" PRIMARY KEY ("id")
);
