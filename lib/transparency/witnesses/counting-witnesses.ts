import "server-only";
import { db, type Tx } from "@/lib/db/client";
import { env } from "@/lib/config/env";

export type CountingWitness = {
  id: string;
  hostOrgId: string;
  name: string;
  verifierKey: string;
  url: string;
  cosignedSize: bigint | null;
  lastError: string | null;
  lastTriedAt: Date | null;
};

/**
 * The witnesses whose cosignatures count: each admitted host's current
 * witness. A host removed by vote is SUSPENDED, so its witness stops counting
 * the moment the outcome commits, and counts again if it is re-admitted.
 * `client`: a transaction to read in (the service configuration's), or the pool.
 */
export async function countingWitnesses(client: Tx = db()): Promise<CountingWitness[]> {
  const witnesses = await client.logWitness.findMany({ where: { retiredAt: null }, orderBy: { createdAt: "asc" } });
  if (witnesses.length === 0) return [];
  const admitted = await client.organization.findMany({
    where: { id: { in: witnesses.map((w) => w.hostOrgId) }, kind: "HOST", status: "ACTIVE" },
    select: { id: true },
  });
  const ids = new Set(admitted.map((o) => o.id));
  return witnesses.filter((w) => ids.has(w.hostOrgId));
}

/**
 * How many of them must cosign: LOG_WITNESS_QUORUM, or by default a majority
 * of those that count (0 when there are none: then nothing is witnessed).
 * A configured quorum is kept even when fewer witnesses count: the log is
 * then published "not witnessed", never witnessed by fewer than promised.
 */
export function witnessQuorum(counting: number): number {
  return env().logWitnessQuorum ?? (counting === 0 ? 0 : Math.floor(counting / 2) + 1);
}
