import "server-only";
import { db, type Tx } from "@/lib/db/client";
import { relyingParty } from "@/lib/auth/relying-party";
import { governanceNow } from "@/lib/governance/clock";
import {
  completeRelyingPartyHistory,
  relyingPartiesOfForks,
  type RelyingParty,
  type RelyingPartyPeriod,
} from "@/lib/governance/verifier/relying-party-at";

const EPOCH = new Date(0);

const currentRelyingParty = (): RelyingParty => {
  const rp = relyingParty();
  return { rpId: rp.rpID, origin: rp.origin };
};

async function read(tx: Tx) {
  // One after another: the queries of an interactive transaction share one connection.
  const rows = await tx.relyingPartyPeriod.findMany({
    orderBy: [{ since: "asc" }, { id: "asc" }],
    select: { rpId: true, origin: true, since: true },
  });
  const forks = await tx.forkOrigin.findMany({
    orderBy: { importedAt: "asc" },
    select: { rpId: true, rpOrigin: true, importedAt: true },
  });
  const lastImport = forks.at(-1)?.importedAt ?? null;
  return {
    rows,
    forks: forks.map((f) => ({ rpId: f.rpId, origin: f.rpOrigin, importedAt: f.importedAt })),
    lastImport,
    // A row of this Guildhall's own: any row of a Guildhall never forked, a row from the last import on at a fork.
    ownRows: lastImport ? rows.filter((r) => r.since >= lastImport) : rows,
  };
}

/**
 * Every relying party this Guildhall's ballots were signed for, by period, oldest first (docs/GOVERNANCE.md):
 * the recorded periods (a fork's start with its origin's), completed with what is implied but not recorded
 * yet: this portal's relying party from the last fork's import on, or always for a database where none was
 * recorded (no ballot was started since periods are recorded, so none can have been signed for another).
 * Read-only: the operator's CLI, whatever public URL it runs with, checks against what was recorded.
 */
export async function readRelyingPartyHistory(tx: Tx = db()): Promise<RelyingPartyPeriod[]> {
  const { rows, forks } = await read(tx);
  return completeRelyingPartyHistory(rows, forks, currentRelyingParty());
}

/**
 * Records this portal's relying party (its public URL's host and origin) as the one ballots are signed for
 * from `now` on, unless it is already the latest. Called before a ballot's time is fixed (startBallot), so a
 * ballot is always dated inside the period of the relying party it is signed for, and at each portal start.
 * The first period of a Guildhall never forked covers all time before it (ballots signed before periods were
 * recorded were signed for the public URL of then, which nothing recorded: the first one seen stands for it);
 * a fork's first own period starts at its import, as the org import promised its members.
 */
export async function recordCurrentRelyingParty(tx: Tx = db(), at?: Date): Promise<void> {
  // Governance time, the clock ballots are dated by (the test clock where it runs).
  const now = at ?? (await governanceNow(tx));
  const current = currentRelyingParty();
  const { rows, forks, lastImport, ownRows } = await read(tx);
  const latest = rows.at(-1);
  if (ownRows.length > 0 && latest?.rpId === current.rpId && latest.origin === current.origin) return;
  // A fork whose origin's archive had no periods (or one made before they were recorded): its origins' first.
  if (rows.length === 0 && forks.length > 0)
    await tx.relyingPartyPeriod.createMany({
      data: relyingPartiesOfForks(forks, current)
        .slice(0, -1)
        .map((p) => ({ rpId: p.rpId, origin: p.origin, since: p.since ?? EPOCH })),
    });
  const since = ownRows.length > 0 ? now : (lastImport ?? EPOCH);
  await tx.relyingPartyPeriod.create({ data: { ...current, since } });
}
