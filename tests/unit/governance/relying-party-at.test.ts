import { describe, expect, it } from "vitest";
import {
  completeRelyingPartyHistory,
  relyingPartiesOpenedAt,
  relyingPartiesSince,
  relyingPartyAt,
} from "@/lib/governance/verifier/relying-party-at";

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

  it("follows the public URL's changes recorded at one Guildhall, so a ballot verifies for the one of its time", () => {
    const port3000 = { rpId: "localhost", origin: "http://localhost:3000" };
    const port3001 = { rpId: "localhost", origin: "http://localhost:3001" };
    const moved = new Date("2026-12-05T12:00:00.000Z");
    const history = completeRelyingPartyHistory(
      [
        { ...port3001, since: moved },
        { ...port3000, since: new Date(0) },
      ],
      [],
      port3001,
    );
    expect(history.map((p) => p.origin)).toEqual([port3000.origin, port3001.origin]);
    const opened = relyingPartiesOpenedAt(history, new Date("2026-12-01T00:00:00.000Z"));
    expect(opened).toEqual({ relyingParty: port3000, changes: [{ ...port3001, from: moved.toISOString() }] });
    expect(relyingPartyAt(opened.relyingParty, opened.changes, "2026-12-05T11:59:59.999Z")).toEqual(port3000);
    expect(relyingPartyAt(opened.relyingParty, opened.changes, "2026-12-05T12:00:00.000Z")).toEqual(port3001);
    expect(relyingPartiesOpenedAt(history, moved)).toEqual({ relyingParty: port3001, changes: [] });
  });

  it("completes a history with what is implied but not recorded: nothing recorded, or nothing since a fork's import", () => {
    expect(completeRelyingPartyHistory([], [], fork)).toEqual([{ ...fork, since: null }]);
    expect(completeRelyingPartyHistory([], [{ ...origin, importedAt }], fork)).toEqual([
      { ...origin, since: null },
      { ...fork, since: importedAt },
    ]);
    // The origin's own periods came with the archive; the fork's starts at its import.
    const originMoved = new Date("2026-11-20T00:00:00.000Z");
    const recorded = [
      { ...origin, since: new Date(0) },
      { ...forkOfFork, since: originMoved },
    ];
    expect(completeRelyingPartyHistory(recorded, [{ ...origin, importedAt }], fork)).toEqual([
      ...recorded,
      { ...fork, since: importedAt },
    ]);
    const forkRecorded = [...recorded, { ...fork, since: importedAt }];
    expect(completeRelyingPartyHistory(forkRecorded, [{ ...origin, importedAt }], fork)).toEqual(forkRecorded);
  });
});
