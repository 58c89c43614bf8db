import { userActor } from "@/lib/access/actor";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { advanceTestClock } from "@/lib/governance/clock";
import { startBallot } from "@/lib/governance/start-ballot";
import { castBallot } from "@/lib/governance/cast-ballot";
import { openProposal } from "@/lib/governance/open-proposal";
import { createProposal } from "@/lib/governance/create-proposal";
import { seedUser } from "@/tests/support/factories";
import { HOUR_MS, openRelease, seedVoter, useTestClock, vote, type Voter } from "./helpers";

useTestClock();

async function refusal(p: Promise<unknown>): Promise<{ code: string; reason?: string }> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(AppError);
  return { code: (e as AppError).code, reason: (e as AppError).reason };
}

async function ballotCount(proposalId: string) {
  return db().ballot.count({ where: { proposalId } });
}

async function refusedReasons(proposalId: string) {
  const rows = await db().auditEvent.findMany({
    where: { action: "ballot.refused", subjectId: proposalId },
    select: { data: true },
  });
  return rows.map((r) => (r.data as { reason: string }).reason);
}

describe("signed ballots", () => {
  let a: Voter, b: Voter, c: Voter, committer: Voter;
  beforeAll(async () => {
    [a, b, c, committer] = [await seedVoter(), await seedVoter(), await seedVoter(), await seedVoter(["COMMITTER"])];
  });

  it("records a passkey-signed ballot, binding from the roster snapshot, and lets the voter change it", async () => {
    const p = await openRelease(a);
    const first = await vote(a, p.id, 1);
    expect(first.binding).toBe(true);
    const nb = await vote(committer, p.id, 1);
    expect(nb.binding).toBe(false);
    await vote(a, p.id, -1, "changed my mind");
    const rows = await db().ballot.findMany({
      where: { proposalId: p.id, voterId: a.user.id },
      orderBy: { castAt: "asc" },
    });
    expect(rows.map((r) => r.choice)).toEqual([1, -1]);
    const cast = await db().auditEvent.count({ where: { action: "ballot.cast", subjectId: p.id } });
    expect(cast).toBe(3);
  });

  it("counts binding-ness from the snapshot taken at open, not from later role changes", async () => {
    const p = await openRelease(a);
    await db().userRole.create({ data: { userId: committer.user.id, role: "MEMBER" } });
    try {
      expect((await vote(committer, p.id, 1)).binding).toBe(false);
    } finally {
      await db().userRole.delete({ where: { userId_role: { userId: committer.user.id, role: "MEMBER" } } });
    }
  });

  it("refuses a vote from someone not on the roster", async () => {
    const p = await openRelease(a);
    const outsider = await seedVoter([]);
    expect(
      await refusal(
        startBallot({
          proposalId: p.id,
          voterId: outsider.user.id,
          choice: 1,
          justification: null,
          digestConfirmed: true,
        }),
      ),
    ).toEqual({ code: "FORBIDDEN", reason: "NOT_ON_ROSTER" });
    // A member made after the vote opened is not on its roster either.
    const late = await seedVoter();
    const { options, ballot } = await startBallot({
      proposalId: p.id,
      voterId: a.user.id,
      choice: 1,
      justification: null,
      digestConfirmed: true,
    });
    expect(
      await refusal(
        castBallot({
          proposalId: p.id,
          voterId: late.user.id,
          input: {
            choice: 1,
            justification: null,
            castAt: ballot.castAt,
            response: late.authenticator.authenticate(options),
          },
        }),
      ),
    ).toEqual({ code: "FORBIDDEN", reason: "NOT_ON_ROSTER" });
    expect(await ballotCount(p.id)).toBe(0);
    expect(await refusedReasons(p.id)).toEqual(["NOT_ON_ROSTER"]);
  });

  it("refuses a ballot without the artifact-digest confirmation", async () => {
    const p = await openRelease(a);
    expect(
      await refusal(
        startBallot({ proposalId: p.id, voterId: a.user.id, choice: 1, justification: null, digestConfirmed: false }),
      ),
    ).toEqual({ code: "PRECONDITION_FAILED", reason: "DIGEST_NOT_CONFIRMED" });
  });

  it("refuses votes on a proposal not yet open, and on a closed one", async () => {
    const draft = await openRelease(a, { openNow: false });
    expect(
      await refusal(
        startBallot({
          proposalId: draft.id,
          voterId: a.user.id,
          choice: 1,
          justification: null,
          digestConfirmed: true,
        }),
      ),
    ).toEqual({ code: "CONFLICT", reason: "PROPOSAL_NOT_OPEN" });
    const opened = await openProposal({ proposalId: draft.id, actor: userActor(a.user.id) });
    const { options, ballot } = await startBallot({
      proposalId: opened.id,
      voterId: b.user.id,
      choice: 1,
      justification: null,
      digestConfirmed: true,
    });
    await advanceTestClock(72 * HOUR_MS + 1000);
    const late = castBallot({
      proposalId: opened.id,
      voterId: b.user.id,
      input: {
        choice: 1,
        justification: null,
        castAt: ballot.castAt,
        response: b.authenticator.authenticate(options),
      },
    });
    expect(await refusal(late)).toEqual({ code: "CONFLICT", reason: "PROPOSAL_CLOSED" });
    expect(await ballotCount(opened.id)).toBe(0);
    expect(await refusedReasons(opened.id)).toEqual(["PROPOSAL_CLOSED"]);
  });

  it("refuses a -1 without a justification on a consensus vote, before the passkey and when the ballot arrives", async () => {
    const p = await createProposal({
      kind: "policy",
      title: "Adopt a policy",
      content: { text: "Every release is signed." },
      openNow: true,
      actor: userActor(a.user.id),
    });
    const ask = { proposalId: p.id, voterId: b.user.id, choice: -1 as const, digestConfirmed: true };
    expect(await refusal(startBallot({ ...ask, justification: "  " }))).toEqual({
      code: "UNPROCESSABLE",
      reason: "JUSTIFICATION_REQUIRED",
    });
    // A client that skips the first step (signing a -1 it got options for as a +1) is refused at the ballot too.
    const { options, ballot } = await startBallot({ ...ask, choice: 1, justification: null });
    const response = b.authenticator.authenticate(options);
    expect(
      await refusal(
        castBallot({
          proposalId: p.id,
          voterId: b.user.id,
          input: { choice: -1, justification: null, castAt: ballot.castAt, response },
        }),
      ),
    ).toEqual({ code: "UNPROCESSABLE", reason: "JUSTIFICATION_REQUIRED" });
    expect(await ballotCount(p.id)).toBe(0);
    await vote(b, p.id, -1, "The signing key has no rotation plan yet.");
    expect(await ballotCount(p.id)).toBe(1);
  });

  it("refuses a signature over different content than submitted", async () => {
    const p = await openRelease(a);
    const { options, ballot } = await startBallot({
      proposalId: p.id,
      voterId: b.user.id,
      choice: -1,
      justification: null,
      digestConfirmed: true,
    });
    const response = b.authenticator.authenticate(options);
    expect(
      await refusal(
        castBallot({
          proposalId: p.id,
          voterId: b.user.id,
          input: { choice: 1, justification: null, castAt: ballot.castAt, response },
        }),
      ),
    ).toEqual({ code: "UNPROCESSABLE", reason: "SIGNATURE_CONTENT_MISMATCH" });
    expect(await ballotCount(p.id)).toBe(0);
  });

  it("refuses a passkey registered to someone else", async () => {
    const p = await openRelease(a);
    const { options, ballot } = await startBallot({
      proposalId: p.id,
      voterId: b.user.id,
      choice: 1,
      justification: null,
      digestConfirmed: true,
    });
    const response = c.authenticator.authenticate(options);
    expect(
      await refusal(
        castBallot({
          proposalId: p.id,
          voterId: b.user.id,
          input: { choice: 1, justification: null, castAt: ballot.castAt, response },
        }),
      ),
    ).toEqual({ code: "FORBIDDEN", reason: "PASSKEY_NOT_VOTERS" });
    expect(await ballotCount(p.id)).toBe(0);
  });

  it("refuses replaying another ballot's assertion", async () => {
    const p = await openRelease(a);
    const { options, ballot } = await startBallot({
      proposalId: p.id,
      voterId: b.user.id,
      choice: 1,
      justification: null,
      digestConfirmed: true,
    });
    const response = b.authenticator.authenticate(options);
    await castBallot({
      proposalId: p.id,
      voterId: b.user.id,
      input: { choice: 1, justification: null, castAt: ballot.castAt, response },
    });
    expect(
      await refusal(
        castBallot({
          proposalId: p.id,
          voterId: b.user.id,
          input: { choice: 1, justification: null, castAt: ballot.castAt, response },
        }),
      ),
    ).toEqual({ code: "CONFLICT", reason: "BALLOT_REPLAYED" });
    expect(
      await refusal(
        castBallot({
          proposalId: p.id,
          voterId: c.user.id,
          input: { choice: 1, justification: null, castAt: ballot.castAt, response },
        }),
      ),
    ).toEqual({ code: "CONFLICT", reason: "BALLOT_REPLAYED" });
    expect(await ballotCount(p.id)).toBe(1);
  });

  it("refuses a challenge we did not issue, and a forged signature", async () => {
    const p = await openRelease(a);
    const { options, ballot } = await startBallot({
      proposalId: p.id,
      voterId: b.user.id,
      choice: 1,
      justification: null,
      digestConfirmed: true,
    });
    const forged = b.authenticator.authenticate(options);
    forged.response.signature = c.authenticator.authenticate(options).response.signature;
    expect(
      await refusal(
        castBallot({
          proposalId: p.id,
          voterId: b.user.id,
          input: { choice: 1, justification: null, castAt: ballot.castAt, response: forged },
        }),
      ),
    ).toEqual({ code: "UNPROCESSABLE", reason: "BAD_SIGNATURE" });
    // The signature failure rolled back, so the issued challenge is still there for an honest retry.
    await castBallot({
      proposalId: p.id,
      voterId: b.user.id,
      input: {
        choice: 1,
        justification: null,
        castAt: ballot.castAt,
        response: b.authenticator.authenticate(options),
      },
    });
    // A ballot time the server never issued: the challenge is unknown.
    const castAt = new Date(Date.parse(ballot.castAt) + 1).toISOString();
    const { ballotChallenge } = await import("@/lib/governance/verifier/ballot-content");
    const selfMade = ballotChallenge({ ...ballot, castAt });
    expect(
      await refusal(
        castBallot({
          proposalId: p.id,
          voterId: b.user.id,
          input: {
            choice: 1,
            justification: null,
            castAt,
            response: b.authenticator.authenticate({ ...options, challenge: selfMade }),
          },
        }),
      ),
    ).toEqual({ code: "UNAUTHENTICATED", reason: "BAD_CHALLENGE" });
  });

  it("asks a roster member without a passkey to add one", async () => {
    const { user } = await seedUser({ roles: ["MEMBER"] });
    const p = await openRelease(a);
    expect(
      await refusal(
        startBallot({ proposalId: p.id, voterId: user.id, choice: 1, justification: null, digestConfirmed: true }),
      ),
    ).toEqual({ code: "PRECONDITION_FAILED", reason: "NO_PASSKEY" });
  });
});
