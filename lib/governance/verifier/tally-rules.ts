import type { BallotChoice, RosterEntry } from "./ballot-content";

/**
 * The rules that decide a vote, pure functions of the roster snapshot and the
 * counted ballots, shared by the server (at close) and by anyone re-verifying
 * an export. Three rule types:
 *  - release: at least `minBindingApprovals` binding +1 and more binding +1
 *    than binding -1; a -1 is never a veto.
 *  - consensus: at least `minBindingApprovals` binding +1 and no veto, where a
 *    veto is a binding -1 that carries a written justification (a -1 without
 *    one is recorded but blocks nothing).
 *  - majority: binding votes cast (abstentions included, since abstaining is a
 *    vote) reach the quorum, and binding +1 are more than half of them.
 * Non-binding votes are counted and shown, and never decide.
 */
export type Rule =
  | { type: "release"; minWindowHours: number; minBindingApprovals: number }
  | { type: "consensus"; minWindowHours: number; minBindingApprovals: number }
  | { type: "majority"; minWindowHours: number; quorumPercent: number };

export type CountedBallot = { voterId: string; choice: BallotChoice; hasJustification: boolean };

export type Counts = { plus: number; zero: number; minus: number };

export type Tally = {
  binding: Counts;
  nonBinding: Counts;
  bindingRosterSize: number;
  vetoes: string[]; // voter ids of binding -1 with justification (consensus only)
  quorumRequired: number | null;
};

export type Outcome = "passed" | "rejected";

const zero = (): Counts => ({ plus: 0, zero: 0, minus: 0 });

function add(c: Counts, choice: BallotChoice) {
  if (choice === 1) c.plus += 1;
  else if (choice === -1) c.minus += 1;
  else c.zero += 1;
}

/** `ballots` holds one counted ballot per voter (the last one each cast). */
export function computeTally(rule: Rule, roster: RosterEntry[], ballots: CountedBallot[]): Tally {
  const bindingOf = new Map(roster.map((r) => [r.userId, r.binding]));
  const binding = zero();
  const nonBinding = zero();
  const vetoes: string[] = [];
  for (const b of ballots) {
    const isBinding = bindingOf.get(b.voterId);
    if (isBinding === undefined) continue; // not on the roster: never counted
    add(isBinding ? binding : nonBinding, b.choice);
    if (rule.type === "consensus" && isBinding && b.choice === -1 && b.hasJustification) vetoes.push(b.voterId);
  }
  const bindingRosterSize = roster.filter((r) => r.binding).length;
  const quorumRequired =
    rule.type === "majority" ? Math.max(1, Math.ceil((bindingRosterSize * rule.quorumPercent) / 100)) : null;
  return { binding, nonBinding, bindingRosterSize, vetoes: vetoes.sort(), quorumRequired };
}

export function decideOutcome(rule: Rule, tally: Tally): { outcome: Outcome; reason: string } {
  const { plus, zero: abstain, minus } = tally.binding;
  switch (rule.type) {
    case "release":
      if (plus < rule.minBindingApprovals)
        return { outcome: "rejected", reason: `${plus} binding +1, ${rule.minBindingApprovals} needed` };
      if (plus <= minus)
        return { outcome: "rejected", reason: `binding +1 (${plus}) not more than binding -1 (${minus})` };
      return { outcome: "passed", reason: `${plus} binding +1 against ${minus} binding -1` };
    case "consensus":
      if (tally.vetoes.length > 0)
        return { outcome: "rejected", reason: `vetoed by ${tally.vetoes.length} justified binding -1` };
      if (plus < rule.minBindingApprovals)
        return { outcome: "rejected", reason: `${plus} binding +1, ${rule.minBindingApprovals} needed` };
      return { outcome: "passed", reason: `${plus} binding +1 and no veto` };
    case "majority": {
      const cast = plus + abstain + minus;
      const quorum = tally.quorumRequired ?? 1;
      if (cast < quorum) return { outcome: "rejected", reason: `${cast} binding votes cast, quorum is ${quorum}` };
      if (plus * 2 <= cast)
        return { outcome: "rejected", reason: `${plus} of ${cast} binding votes cast are +1, a majority is needed` };
      return { outcome: "passed", reason: `${plus} of ${cast} binding votes cast are +1, quorum ${quorum} met` };
    }
  }
}

/** The last ballot of each voter, by cast time (ties broken by ballot id, so the result is deterministic). */
export function lastBallotPerVoter<T extends { voterId: string; castAt: string; id: string }>(ballots: T[]): T[] {
  const last = new Map<string, T>();
  for (const b of ballots) {
    const prev = last.get(b.voterId);
    if (!prev || b.castAt > prev.castAt || (b.castAt === prev.castAt && b.id > prev.id)) last.set(b.voterId, b);
  }
  return [...last.values()].sort((a, b) => (a.voterId < b.voterId ? -1 : 1));
}
