import { describe, expect, it } from "vitest";
import { buildLogEntry, commitmentOf } from "@/lib/transparency/build-log-entry";

describe("log entries' salts", () => {
  it("gives every commitment a salt of its own, also across the draws salts are cut from", () => {
    // A user's state is committed (its subject type is not public), and so is an email: two salts per entry,
    // 1,200 in all, across several draws of 256.
    const built = Array.from({ length: 600 }, (_, i) =>
      buildLogEntry({
        seq: String(i + 1),
        id: `evt_${i}`,
        occurredAt: "2026-12-06T12:00:00.000Z",
        actorType: "system",
        actorId: null,
        action: "user.created",
        subjectType: "user",
        subjectId: `usr_${i}`,
        stateDigest: "0".repeat(64),
        data: { email: `someone-${i}@example.test` },
        requestId: null,
        prevHash: "0".repeat(64),
      }),
    );
    const openings = built.flatMap((b) => b.openings);
    expect(openings).toHaveLength(1200);
    for (const o of openings) expect(o.salt.length).toBe(32);
    expect(new Set(openings.map((o) => o.salt.toString("hex"))).size).toBe(1200);
    // Each commitment opens with its own salt, and only with it.
    const [first, second] = built;
    const email = (b: (typeof built)[number]) => (b.entry.data as { email: { commitment: string } }).email.commitment;
    const opening = (b: (typeof built)[number]) => b.openings.find((o) => o.path === "data.email");
    expect(email(first)).toBe(commitmentOf(opening(first)?.salt as Buffer, opening(first)?.value as string));
    expect(email(first)).not.toBe(commitmentOf(opening(second)?.salt as Buffer, opening(first)?.value as string));
  });
});
