import "server-only";
import { db, type Tx } from "@/lib/db/client";
import { log } from "@/lib/log";
import { processSlot } from "@/lib/process-state";
import { staleWhileRevalidate, type StaleWhileRevalidate } from "@/lib/stale-while-revalidate";
import { getCheckpointAt, readLatestCheckpoint, type StoredCheckpoint } from "@/lib/transparency/read-log";
import { countingWitnesses, witnessQuorum } from "@/lib/transparency/witnesses/counting-witnesses";
import { noteWithCosignatures, storedCosignatures } from "@/lib/transparency/witnesses/stored-cosignatures";

/**
 * How long the newest checkpoint may wait for its first witnessing round
 * before it is published anyway, "not witnessed": long enough for a round on
 * a busy machine, short enough that the log never looks stalled.
 */
const WITNESSING_GRACE_MS = 5_000;

export type PublishedCheckpoint = StoredCheckpoint & {
  /** The checkpoint's note with the log's signature and the counting witnesses' cosignatures. */
  cosignedNote: string;
  cosigners: { name: string; hostOrgId: string; time: number }[];
  /** How many cosignatures the quorum asks for, and how many witnesses count. */
  required: number;
  witnesses: number;
  witnessed: boolean;
};

/**
 * What `/log/checkpoint` serves:
 * - the newest checkpoint, with its cosignatures, once a quorum of the
 *   admitted hosts' witnesses cosigned it;
 * - while the newest one's first witnessing round has not happened yet (a
 *   few seconds at most), the newest one that a quorum did cosign;
 * - otherwise (no quorum reached, or no witnesses) the newest checkpoint with
 *   whatever cosignatures it has, `witnessed: false`: published, and said to
 *   be not witnessed.
 */
export function getPublishedCheckpoint(): PublishedCheckpoint | null | Promise<PublishedCheckpoint | null> {
  // The copy itself when this process holds one it may serve, so /log/checkpoint can answer without awaiting.
  return publishedCopy.get();
}

/**
 * Each process keeps the published checkpoint it read last: /log/checkpoint is polled by every monitor and
 * mirror, a read is several queries, and HTTP caches keep it a second anyway. A copy is served for 250 ms, then
 * served still while one read refreshes it, so that readers never queue behind the expiry; a copy whose read
 * began 2 s ago or more is never served (readers wait for the read instead). So on every instance the checkpoint
 * served is at most 2 s older than the database's, usually at most 250 ms and one read; the instance that
 * integrates or witnesses forgets its copy at once when its round wrote something (forgetPublishedCheckpoint). One per process
 * (lib/process-state.ts): the protocol fast lane and the route bundles serve the same copy, and a forget reaches
 * both.
 */
const publishedCopy = processSlot<StaleWhileRevalidate<PublishedCheckpoint | null>>("publishedCheckpoint").getOrInit(
  () =>
    staleWhileRevalidate(() => readPublishedCheckpoint(db()), {
      freshMs: 250,
      maxStaleMs: 2_000,
      onRefreshFailed: (e) =>
        log.warn({ err: e instanceof Error ? e.message : String(e) }, "published checkpoint not refreshed"),
    }),
);

/** Called by what changes the published checkpoint in this process (integration, witnessing, the witnesses). */
export function forgetPublishedCheckpoint(): void {
  publishedCopy.forget();
}

/**
 * The same, unmemoized, read through `client`: the service configuration reads it in its publishing transaction
 * (lib/governance/federation/latest-log-checkpoint.ts), one query after another as a transaction's must be.
 */
export async function readPublishedCheckpoint(client: Tx, now = new Date()): Promise<PublishedCheckpoint | null> {
  const latest = await readLatestCheckpoint(client);
  if (!latest) return null;
  const witnesses = await countingWitnesses(client);
  const required = witnessQuorum(witnesses.length);
  const ids = witnesses.map((w) => w.id);
  const cosignaturesOf = (size: number) => storedCosignatures(size, witnesses, client);

  let chosen = latest;
  let cosignatures = await cosignaturesOf(latest.size);
  if (required > 0 && cosignatures.length < required) {
    const round = await client.logWitnessRound.findUnique({ where: { size: BigInt(latest.size) } });
    const waiting = !round && now.getTime() - latest.createdAt.getTime() < WITNESSING_GRACE_MS;
    if (waiting) {
      const newestWitnessed = await client.logCosignature.groupBy({
        by: ["size"],
        where: { witnessId: { in: ids }, size: { lt: BigInt(latest.size) } },
        having: { witnessId: { _count: { gte: required } } },
        orderBy: { size: "desc" },
        take: 1,
      });
      const size = newestWitnessed[0]?.size;
      const earlier = size === undefined ? null : await getCheckpointAt(Number(size), client);
      if (earlier) {
        chosen = earlier;
        cosignatures = await cosignaturesOf(earlier.size);
      }
    }
  }
  return {
    ...chosen,
    cosignedNote: noteWithCosignatures(chosen.note, cosignatures),
    cosigners: cosignatures.map((c) => ({ name: c.name, hostOrgId: c.hostOrgId, time: c.time })),
    required,
    witnesses: witnesses.length,
    witnessed: required > 0 && cosignatures.length >= required,
  };
}
