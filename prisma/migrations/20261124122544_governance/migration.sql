-- CreateTable
CREATE TABLE "GovernanceRule" (
    "kind" TEXT NOT NULL,
    "rule" JSONB NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedById" TEXT,

    CONSTRAINT "GovernanceRule_pkey" PRIMARY KEY ("kind")
);

-- CreateTable
CREATE TABLE "Proposal" (
    "id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "content" JSONB NOT NULL,
    "rule" JSONB NOT NULL,
    "status" TEXT NOT NULL,
    "windowHours" INTEGER NOT NULL,
    "createdById" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "openedAt" TIMESTAMP(3),
    "closesAt" TIMESTAMP(3),
    "rosterDigest" TEXT,
    "digest" TEXT,
    "reminderSentAt" TIMESTAMP(3),
    "closedAt" TIMESTAMP(3),
    "outcome" TEXT,
    "tally" JSONB,
    "tallyJws" TEXT,
    "effectStatus" TEXT,
    "effectNote" TEXT,

    CONSTRAINT "Proposal_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ProposalRosterEntry" (
    "proposalId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "binding" BOOLEAN NOT NULL,

    CONSTRAINT "ProposalRosterEntry_pkey" PRIMARY KEY ("proposalId","userId")
);

-- CreateTable
CREATE TABLE "Ballot" (
    "id" TEXT NOT NULL,
    "proposalId" TEXT NOT NULL,
    "voterId" TEXT NOT NULL,
    "choice" INTEGER NOT NULL,
    "justification" TEXT,
    "justificationHash" TEXT NOT NULL,
    "castAt" TIMESTAMP(3) NOT NULL,
    "proposalDigest" TEXT NOT NULL,
    "challenge" TEXT NOT NULL,
    "credentialId" TEXT NOT NULL,
    "publicKey" BYTEA NOT NULL,
    "authenticatorData" BYTEA NOT NULL,
    "clientDataJSON" BYTEA NOT NULL,
    "signature" BYTEA NOT NULL,
    "signCount" BIGINT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Ballot_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ReleaseLine" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "forkedFromReleaseId" TEXT,
    "proposalId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ReleaseLine_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Release" (
    "id" TEXT NOT NULL,
    "releaseLineId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "version" TEXT NOT NULL,
    "artifactUrl" TEXT NOT NULL,
    "artifactSha256" TEXT NOT NULL,
    "notes" TEXT NOT NULL,
    "proposalId" TEXT NOT NULL,
    "approvedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Release_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "HostReleaseDeclaration" (
    "hostOrgId" TEXT NOT NULL,
    "releaseLineId" TEXT NOT NULL,
    "releaseId" TEXT NOT NULL,
    "declaredById" TEXT NOT NULL,
    "declaredAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "HostReleaseDeclaration_pkey" PRIMARY KEY ("hostOrgId","releaseLineId")
);

-- CreateTable
CREATE TABLE "ReleaseManifest" (
    "seq" INTEGER NOT NULL,
    "jws" TEXT NOT NULL,
    "digest" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ReleaseManifest_pkey" PRIMARY KEY ("seq")
);

-- CreateTable
CREATE TABLE "GovernanceClock" (
    "id" INTEGER NOT NULL DEFAULT 1,
    "offsetMs" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "GovernanceClock_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Proposal_status_closesAt_idx" ON "Proposal"("status", "closesAt");

-- CreateIndex
CREATE UNIQUE INDEX "Ballot_challenge_key" ON "Ballot"("challenge");

-- CreateIndex
CREATE INDEX "Ballot_proposalId_voterId_castAt_idx" ON "Ballot"("proposalId", "voterId", "castAt");

-- CreateIndex
CREATE UNIQUE INDEX "ReleaseLine_name_key" ON "ReleaseLine"("name");

-- CreateIndex
CREATE UNIQUE INDEX "ReleaseLine_proposalId_key" ON "ReleaseLine"("proposalId");

-- CreateIndex
CREATE UNIQUE INDEX "Release_proposalId_key" ON "Release"("proposalId");

-- CreateIndex
CREATE UNIQUE INDEX "Release_releaseLineId_version_key" ON "Release"("releaseLineId", "version");

-- AddForeignKey
ALTER TABLE "ProposalRosterEntry" ADD CONSTRAINT "ProposalRosterEntry_proposalId_fkey" FOREIGN KEY ("proposalId") REFERENCES "Proposal"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Ballot" ADD CONSTRAINT "Ballot_proposalId_fkey" FOREIGN KEY ("proposalId") REFERENCES "Proposal"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Release" ADD CONSTRAINT "Release_releaseLineId_fkey" FOREIGN KEY ("releaseLineId") REFERENCES "ReleaseLine"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
