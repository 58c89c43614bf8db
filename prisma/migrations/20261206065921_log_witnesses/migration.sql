-- CreateTable
CREATE TABLE "LogWitness" (
    "id" TEXT NOT NULL,
    "hostOrgId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "verifierKey" TEXT NOT NULL,
    "url" TEXT NOT NULL,
    "cosignedSize" BIGINT,
    "lastError" TEXT,
    "lastTriedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "retiredAt" TIMESTAMP(3),

    CONSTRAINT "LogWitness_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "LogCosignature" (
    "size" BIGINT NOT NULL,
    "witnessId" TEXT NOT NULL,
    "line" TEXT NOT NULL,
    "time" BIGINT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "LogCosignature_pkey" PRIMARY KEY ("size","witnessId")
);

-- CreateTable
CREATE TABLE "LogWitnessRound" (
    "size" BIGINT NOT NULL,
    "cosigned" INTEGER NOT NULL,
    "required" INTEGER NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "LogWitnessRound_pkey" PRIMARY KEY ("size")
);

-- CreateIndex
CREATE INDEX "LogWitness_hostOrgId_idx" ON "LogWitness"("hostOrgId");

-- AddForeignKey
ALTER TABLE "LogCosignature" ADD CONSTRAINT "LogCosignature_witnessId_fkey" FOREIGN KEY ("witnessId") REFERENCES "LogWitness"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
