import "server-only";
import { db } from "@/lib/db/client";
import { env } from "@/lib/config/env";
import { verifyCosignature } from "@/lib/merkle/cosignature";
import { formatSignatureLine, parseNote, parseVerifierKey } from "@/lib/merkle/signed-note";
import { formatAddCheckpoint, parseTlogSize, TLOG_SIZE_MEDIA_TYPE } from "@/lib/merkle/witness-protocol";
import { forgetPublishedCheckpoint } from "@/lib/transparency/witnesses/published-checkpoint";
import { proveConsistency } from "@/lib/transparency/prove";
import { getLatestCheckpoint, type StoredCheckpoint } from "@/lib/transparency/read-log";
import {
  countingWitnesses,
  witnessQuorum,
  type CountingWitness,
} from "@/lib/transparency/witnesses/counting-witnesses";
import { limits } from "@/lib/config/limits";

export type WitnessingRound = {
  size: number;
  cosigned: number;
  required: number;
  errors: Record<string, string>;
} | null;

/**
 * The witnessing step (the `log-witnessing` background task, one instance at
 * a time): sends the newest checkpoint to each counting witness that has not
 * cosigned it, with a consistency proof from the size that witness last
 * cosigned (C2SP tlog-witness; a 409 tells the size it really holds, and the
 * request is made again from there), checks each cosignature against the
 * witness's key and stores it, and records the round: how many cosigned and
 * how many the quorum asks for. No transaction is held while a witness
 * answers; each result is written on its own, so a crash loses at most the
 * cosignatures of the round in flight, which the next round asks for again.
 */
export async function sendCheckpointToWitnesses(now = new Date()): Promise<WitnessingRound> {
  const outcome = await witnessingRound(now).catch((e: unknown) => {
    // It may have stored cosignatures before it failed.
    forgetPublishedCheckpoint();
    throw e;
  });
  // What this instance publishes changes only with what a round writes: forgetting the copy after every round
  // (every 500 ms) made every reader of /log/checkpoint here wait for a read of the database, twice a second.
  if (outcome.wrote) forgetPublishedCheckpoint();
  return outcome.round;
}

async function witnessingRound(now: Date): Promise<{ round: WitnessingRound; wrote: boolean }> {
  const checkpoint = await getLatestCheckpoint();
  if (!checkpoint) return { round: null, wrote: false };
  const witnesses = await countingWitnesses();
  const required = witnessQuorum(witnesses.length);
  const have = await db().logCosignature.findMany({
    where: { size: BigInt(checkpoint.size), witnessId: { in: witnesses.map((w) => w.id) } },
    select: { witnessId: true },
  });
  const cosigned = new Set(have.map((c) => c.witnessId));
  const round = await db().logWitnessRound.findUnique({ where: { size: BigInt(checkpoint.size) } });
  const due = witnesses.filter(
    (w) =>
      !cosigned.has(w.id) &&
      // A new checkpoint goes to everyone; the same one again only to a witness whose last try is old enough.
      (!round || !w.lastTriedAt || now.getTime() - w.lastTriedAt.getTime() >= limits.witnesses.retryAfterMs),
  );
  if (round && due.length === 0 && round.cosigned === cosigned.size && round.required === required)
    return { round: { size: checkpoint.size, cosigned: cosigned.size, required, errors: {} }, wrote: false };

  const errors: Record<string, string> = {};
  await Promise.all(
    due.map(async (w) => {
      const outcome: Outcome = await askWitness(w, checkpoint).catch((err: Error) => ({ error: err.message }));
      if ("line" in outcome) {
        await db().logCosignature.upsert({
          where: { size_witnessId: { size: BigInt(checkpoint.size), witnessId: w.id } },
          create: { size: BigInt(checkpoint.size), witnessId: w.id, line: outcome.line, time: BigInt(outcome.time) },
          update: {},
        });
        await db().logWitness.update({
          where: { id: w.id },
          data: { cosignedSize: BigInt(checkpoint.size), lastError: null, lastTriedAt: now },
        });
        cosigned.add(w.id);
      } else {
        errors[w.name] = outcome.error;
        await db().logWitness.update({
          where: { id: w.id },
          data: {
            lastError: outcome.error.slice(0, 500),
            lastTriedAt: now,
            ...(outcome.heldSize === undefined ? {} : { cosignedSize: BigInt(outcome.heldSize) }),
          },
        });
      }
    }),
  );
  await db().logWitnessRound.upsert({
    where: { size: BigInt(checkpoint.size) },
    create: { size: BigInt(checkpoint.size), cosigned: cosigned.size, required },
    update: { cosigned: cosigned.size, required },
  });
  return { round: { size: checkpoint.size, cosigned: cosigned.size, required, errors }, wrote: true };
}

type Outcome = { line: string; time: number } | { error: string; heldSize?: number };

async function askWitness(w: CountingWitness, checkpoint: StoredCheckpoint): Promise<Outcome> {
  const key = parseVerifierKey(w.verifierKey);
  let oldSize = Number(w.cosignedSize ?? 0n);
  // Two tries: the size we remember, then the size the witness says it holds (409).
  for (let attempt = 0; attempt < 2; attempt++) {
    if (oldSize > checkpoint.size)
      return { error: `the witness holds size ${oldSize}, beyond the log's ${checkpoint.size}`, heldSize: oldSize };
    const proof =
      oldSize === 0 || oldSize === checkpoint.size
        ? []
        : (await proveConsistency(oldSize, checkpoint.size)).proof.map((h) => Buffer.from(h, "base64"));
    const res = await fetch(`${w.url}/add-checkpoint`, {
      method: "POST",
      headers: { "content-type": "text/plain; charset=utf-8" },
      body: formatAddCheckpoint({ oldSize, proof, note: checkpoint.note }),
      // LOG_WITNESS_TIMEOUT_MS, 5 s unless set: a witness is another organization's server, and one that does
      // not answer must not hold up the round's record for long (the others' cosignatures are stored already).
      signal: AbortSignal.timeout(env().logWitnessTimeoutMs),
      redirect: "error",
    });
    const body = (await res.text()).slice(0, 4096);
    if (res.status === 409 && res.headers.get("content-type")?.startsWith(TLOG_SIZE_MEDIA_TYPE)) {
      oldSize = parseTlogSize(body);
      continue;
    }
    if (res.status !== 200) return { error: `HTTP ${res.status}: ${body.trim().slice(0, 200)}` };
    // The answer is signature lines; only the one of this witness's key counts, and only if it verifies.
    const time = verifyCosignature(`${checkpoint.note}${body}`, key);
    if (time === null) return { error: "the witness answered no valid cosignature of its key" };
    const mine = parseNote(`${checkpoint.note}${body}`).signatures.find(
      (s) => s.name === key.name && s.keyId.equals(key.keyId),
    );
    return { line: formatSignatureLine(mine as NonNullable<typeof mine>).trimEnd(), time };
  }
  return { error: "the witness's size changed twice in a row", heldSize: oldSize };
}
