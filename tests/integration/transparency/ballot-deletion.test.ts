import { describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { buildProposalExport } from "@/lib/governance/build-proposal-export";
import { verifyProposalExport } from "@/lib/governance/verifier/verify-proposal-export";
import { verifyBallotsAgainstHistory } from "@/lib/governance/verify-ballots-against-history";
import { openRelease, seedVoter, useTestClock, vote } from "../governance/helpers";

useTestClock();

describe("a ballot deleted from an open proposal", () => {
  it("passes the signature check of what remains, and fails against the history, where it was cast", async () => {
    const [a, b, c] = [await seedVoter(), await seedVoter(), await seedVoter()];
    const p = await openRelease(a);
    await vote(a, p.id, 1);
    await vote(b, p.id, 1);
    await vote(c, p.id, -1, "a veto, with its reason");
    const whole = await buildProposalExport(p.id);
    expect(await verifyBallotsAgainstHistory(whole)).toMatchObject({ ok: true, problems: [], loggedBallots: 3 });

    // The veto disappears from the ballot table (what someone with database rights could do).
    const veto = await db().ballot.findFirstOrThrow({ where: { proposalId: p.id, voterId: c.user.id } });
    await db().ballot.delete({ where: { id: veto.id } });
    const cut = await buildProposalExport(p.id);
    expect(verifyProposalExport(cut).ok).toBe(true); // the old check: every remaining signature is fine
    const verdict = await verifyBallotsAgainstHistory(cut);
    expect(verdict.ok).toBe(false);
    expect(verdict.problems).toEqual([
      expect.stringMatching(new RegExp(`ballot ${veto.id} .* is missing from the proposal`)),
    ]);
  }, 120_000);
});
