import "server-only";
import { db, type Tx } from "@/lib/db/client";
import { formatNote, parseNote, type NoteSignature } from "@/lib/merkle/signed-note";
import type { CountingWitness } from "@/lib/transparency/witnesses/counting-witnesses";

export type StoredCosignature = {
  witnessId: string;
  name: string;
  hostOrgId: string;
  time: number;
  signature: NoteSignature;
};

/**
 * The cosignatures stored for the checkpoint of `size` (each verified against
 * its witness's key before it was stored) by the given witnesses, oldest first.
 */
export async function storedCosignatures(
  size: number,
  witnesses: CountingWitness[],
  client: Tx = db(),
): Promise<StoredCosignature[]> {
  const byId = new Map(witnesses.map((w) => [w.id, w]));
  const rows = await client.logCosignature.findMany({
    where: { size: BigInt(size), witnessId: { in: [...byId.keys()] } },
    orderBy: { createdAt: "asc" },
  });
  return rows.map((row) => {
    const w = byId.get(row.witnessId) as CountingWitness;
    // A stored line is one signature line; parsed through a note so the format code is the one that reads it.
    const signature = parseNote(`x\n\n${row.line}\n`).signatures[0];
    return { witnessId: w.id, name: w.name, hostOrgId: w.hostOrgId, time: Number(row.time), signature };
  });
}

/** The note with the given cosignatures added after the log's own signature. */
export function noteWithCosignatures(note: string, cosignatures: StoredCosignature[]): string {
  const { text, signatures } = parseNote(note);
  return formatNote(text, [...signatures, ...cosignatures.map((c) => c.signature)]);
}
