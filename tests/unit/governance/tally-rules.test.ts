import { describe, expect, it } from "vitest";
import fc from "fast-check";
import {
  computeTally,
  decideOutcome,
  lastBallotPerVoter,
  type CountedBallot,
  type Rule,
} from "@/lib/governance/verifier/tally-rules";
import { defaultRules } from "@/lib/governance/proposal-kinds";

/**
 * Properties of every tally rule, over random rosters and ballots. Voters
 * b0..bN are binding, n0..nM non-binding; each casts at most one counted
 * ballot (the tally receives the last ballot of each voter).
 */
type Vote = { choice: 1 | 0 | -1; justified: boolean };
const vote = fc.record({ choice: fc.constantFrom<1 | 0 | -1>(1, 0, -1), justified: fc.boolean() });
const votes = (max: number) => fc.array(fc.option(vote, { nil: undefined }), { maxLength: max });

function election(binding: (Vote | undefined)[], nonBinding: (Vote | undefined)[]) {
  const roster = [
    ...binding.map((_, i) => ({ userId: `b${i}`, binding: true })),
    ...nonBinding.map((_, i) => ({ userId: `n${i}`, binding: false })),
  ];
  const ballots: CountedBallot[] = [];
  binding.forEach((v, i) => v && ballots.push({ voterId: `b${i}`, choice: v.choice, hasJustification: v.justified }));
  nonBinding.forEach(
    (v, i) => v && ballots.push({ voterId: `n${i}`, choice: v.choice, hasJustification: v.justified }),
  );
  return { roster, ballots };
}

function outcome(rule: Rule, binding: (Vote | undefined)[], nonBinding: (Vote | undefined)[]) {
  const { roster, ballots } = election(binding, nonBinding);
  return decideOutcome(rule, computeTally(rule, roster, ballots)).outcome;
}

const release = defaultRules.release;
const consensus = defaultRules.policy;
const majority = defaultRules.roster_change;

describe("release rule", () => {
  it("never passes with fewer than three binding +1, whatever else is cast", () => {
    fc.assert(
      fc.property(votes(12), votes(30), (binding, nonBinding) => {
        const plus = binding.filter((v) => v?.choice === 1).length;
        fc.pre(plus <= 2);
        expect(outcome(release, binding, nonBinding)).toBe("rejected");
      }),
    );
  });

  it("passes exactly when binding +1 ≥ 3 and binding +1 > binding -1; a -1 is never a veto", () => {
    fc.assert(
      fc.property(votes(15), votes(10), (binding, nonBinding) => {
        const plus = binding.filter((v) => v?.choice === 1).length;
        const minus = binding.filter((v) => v?.choice === -1).length;
        expect(outcome(release, binding, nonBinding)).toBe(plus >= 3 && plus > minus ? "passed" : "rejected");
      }),
    );
  });

  it("two binding +1 and a hundred non-binding +1 is rejected", () => {
    const nb = Array.from({ length: 100 }, () => ({ choice: 1 as const, justified: false }));
    expect(
      outcome(
        release,
        [
          { choice: 1, justified: false },
          { choice: 1, justified: false },
        ],
        nb,
      ),
    ).toBe("rejected");
  });
});

describe("consensus rule", () => {
  it("any justified binding -1 vetoes; an unjustified one does not", () => {
    fc.assert(
      fc.property(votes(12), votes(8), (binding, nonBinding) => {
        const plus = binding.filter((v) => v?.choice === 1).length;
        const veto = binding.some((v) => v?.choice === -1 && v.justified);
        expect(outcome(consensus, binding, nonBinding)).toBe(!veto && plus >= 3 ? "passed" : "rejected");
      }),
    );
  });

  it("a justified non-binding -1 is not a veto", () => {
    const three = Array.from({ length: 3 }, () => ({ choice: 1 as const, justified: false }));
    expect(outcome(consensus, three, [{ choice: -1, justified: true }])).toBe("passed");
  });
});

describe("majority rule", () => {
  it("passes exactly when quorum is met and +1 are more than half of binding votes cast (abstain counts as cast)", () => {
    fc.assert(
      fc.property(votes(15), votes(8), fc.integer({ min: 1, max: 100 }), (binding, nonBinding, quorumPercent) => {
        const rule: Rule = { type: "majority", minWindowHours: 72, quorumPercent };
        const cast = binding.filter(Boolean).length;
        const plus = binding.filter((v) => v?.choice === 1).length;
        const quorum = Math.max(1, Math.ceil((binding.length * quorumPercent) / 100));
        expect(outcome(rule, binding, nonBinding)).toBe(cast >= quorum && plus * 2 > cast ? "passed" : "rejected");
      }),
    );
  });

  it("a tie is rejected", () => {
    expect(
      outcome(
        majority,
        [
          { choice: 1, justified: false },
          { choice: -1, justified: false },
        ],
        [],
      ),
    ).toBe("rejected");
  });
});

describe("every rule", () => {
  const rules: Rule[] = [release, consensus, majority];
  it("ignores non-binding ballots and ballots of voters not on the roster", () => {
    fc.assert(
      fc.property(fc.constantFrom(...rules), votes(10), votes(10), (rule, binding, nonBinding) => {
        const { roster, ballots } = election(binding, nonBinding);
        const withStrangers = [...ballots, { voterId: "stranger", choice: 1 as const, hasJustification: true }];
        const bindingOnly = ballots.filter((b) => b.voterId.startsWith("b"));
        const a = decideOutcome(rule, computeTally(rule, roster, withStrangers)).outcome;
        const b = decideOutcome(rule, computeTally(rule, roster, bindingOnly)).outcome;
        expect(a).toBe(b);
      }),
    );
  });

  it("does not depend on the order ballots arrive in", () => {
    fc.assert(
      fc.property(fc.constantFrom(...rules), votes(10), fc.infiniteStream(fc.nat()), (rule, binding, seeds) => {
        const { roster, ballots } = election(binding, []);
        const shuffled = [...ballots].sort(() => (seeds.next().value % 3) - 1);
        expect(computeTally(rule, roster, shuffled)).toEqual(computeTally(rule, roster, ballots));
      }),
    );
  });
});

describe("last ballot per voter", () => {
  it("keeps each voter's latest ballot, whatever the order", () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ voterId: fc.constantFrom("a", "b", "c"), castAt: fc.integer({ min: 0, max: 1e6 }) }), {
          maxLength: 30,
        }),
        (raw) => {
          const ballots = raw.map((r, i) => ({
            id: `bal_${String(i).padStart(3, "0")}`,
            voterId: r.voterId,
            castAt: new Date(r.castAt).toISOString(),
          }));
          const last = lastBallotPerVoter(ballots);
          for (const b of last) {
            const mine = ballots.filter((x) => x.voterId === b.voterId);
            expect(mine.every((x) => x.castAt < b.castAt || (x.castAt === b.castAt && x.id <= b.id))).toBe(true);
          }
          expect(lastBallotPerVoter([...ballots].reverse())).toEqual(last);
        },
      ),
    );
  });
});
