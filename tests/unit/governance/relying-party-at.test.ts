import { describe, expect, it } from "vitest";
import { relyingPartiesSince, relyingPartyAt } from "@/lib/governance/verifier/relying-party-at";

const origin = { rpId: "origin.example", origin: "https://origin.example" };
const fork = { rpId: "fork.example", origin: "https://fork.example" };
const forkOfFork = { rpId: "third.example", origin: "https://third.example" };
const importedAt = new Date("2026-12-01T10:00:00.000Z");
const secondImportAt = new Date("2026-12-03T10:00:00.000Z");

describe("the relying party a ballot is signed for", () => {
  it("is this Guildhall's for a Guildhall never forked", () => {
    const { relyingParty, changes } = relyingPartiesSince([], fork, new Date("2026-11-01T00:00:00.000Z"));
    expect(relyingParty).toEqual(fork);
    expect(changes).toEqual([]);
  });

  it("is the origin's before the fork's import and the fork's from it on, for a proposal the origin left open", () => {
    const periods = relyingPartiesSince([{ ...origin, importedAt }], fork, new Date("2026-11-30T00:00:00.000Z"));
    expect(periods).toEqual({ relyingParty: origin, changes: [{ ...fork, from: importedAt.toISOString() }] });
    const at = (castAt: string) => relyingPartyAt(periods.relyingParty, periods.changes, castAt);
    expect(at("2026-12-01T09:59:59.999Z")).toEqual(origin);
    expect(at("2026-12-01T10:00:00.000Z")).toEqual(fork);
    expect(at("2026-12-02T00:00:00.000Z")).toEqual(fork);
  });

  it("is the fork's alone for a proposal opened at the fork", () => {
    const periods = relyingPartiesSince([{ ...origin, importedAt }], fork, new Date("2026-12-02T00:00:00.000Z"));
    expect(periods).toEqual({ relyingParty: fork, changes: [] });
  });

  it("follows a fork of a fork through each import, oldest first", () => {
    const forks = [
      { ...origin, importedAt },
      { ...fork, importedAt: secondImportAt },
    ];
    const periods = relyingPartiesSince(forks, forkOfFork, new Date("2026-11-30T00:00:00.000Z"));
    expect(periods.relyingParty).toEqual(origin);
    expect(periods.changes.map((c) => c.rpId)).toEqual(["fork.example", "third.example"]);
    expect(relyingPartyAt(periods.relyingParty, periods.changes, "2026-12-02T00:00:00.000Z")).toEqual(fork);
    expect(relyingPartyAt(periods.relyingParty, periods.changes, "2026-12-04T00:00:00.000Z")).toEqual(forkOfFork);
    const openedAtTheFork = relyingPartiesSince(forks, forkOfFork, new Date("2026-12-02T00:00:00.000Z"));
    expect(openedAtTheFork).toEqual({
      relyingParty: fork,
      changes: [{ ...forkOfFork, from: secondImportAt.toISOString() }],
    });
  });
});
