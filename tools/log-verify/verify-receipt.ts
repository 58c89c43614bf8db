import { verifyInclusion } from "../../lib/merkle/proofs";
import { leafHash } from "../../lib/merkle/tree-hash";
import { verifyCheckpoint, type CheckedCheckpoint } from "./verify-checkpoint";

/** The receipt format Guildhall hands out with what it signs (docs/LOG.md, "Receipts"). */
export const LOG_RECEIPT_FORMAT = "guildhall.log-receipt/1";

type Receipt = {
  format: string;
  status: string;
  thing: { kind: string; id: string; label?: string };
  index: number;
  treeSize: number;
  entry: string;
  proof: string[];
  checkpoint: string;
};

/**
 * Finds the receipt in a handed-out file: the receipt itself, or a bundle that
 * carries it as `log` (a license bundle from the licensing API, say).
 */
export function receiptIn(document: unknown): Receipt {
  const candidates = [document, (document as { log?: unknown } | null)?.log];
  const found = candidates.find((c) => (c as { format?: unknown } | null)?.format === LOG_RECEIPT_FORMAT);
  if (!found) throw new Error(`no ${LOG_RECEIPT_FORMAT} receipt in the file (as itself or as its "log")`);
  const receipt = found as Receipt;
  if (receipt.status !== "integrated")
    throw new Error(`the receipt's entry ${receipt.index} was awaiting integration when it was saved: fetch it again`);
  return receipt;
}

/**
 * A handed-out thing's receipt, checked offline against nothing but the log
 * key (and the witnesses' keys): the checkpoint's signature (and cosignatures,
 * `quorum` of them), the entry's inclusion in it, and that the entry is about
 * the thing the receipt names (its subject, or a field of its data, holds the
 * thing's id).
 */
export function verifyReceipt(
  document: unknown,
  logKey: string,
  witnessKeys: readonly string[] = [],
  quorum = 0,
): { receipt: Receipt; checkpoint: CheckedCheckpoint; entry: Record<string, unknown> } {
  const receipt = receiptIn(document);
  const checkpoint = verifyCheckpoint(receipt.checkpoint, logKey, witnessKeys, quorum);
  if (checkpoint.size !== receipt.treeSize) throw new Error("the receipt's tree size is not its checkpoint's");
  const proof = receipt.proof.map((h) => Buffer.from(h, "base64"));
  if (
    !verifyInclusion(receipt.index, checkpoint.size, leafHash(Buffer.from(receipt.entry)), proof, checkpoint.rootHash)
  )
    throw new Error(`entry ${receipt.index} is NOT included in the checkpoint of size ${checkpoint.size}`);
  const entry = JSON.parse(receipt.entry) as Record<string, unknown>;
  const subject = entry.subject as { id?: unknown } | undefined;
  const data = (entry.data ?? {}) as Record<string, unknown>;
  if (subject?.id !== receipt.thing.id && !Object.values(data).includes(receipt.thing.id))
    throw new Error(`entry ${receipt.index} is not about ${receipt.thing.id}: the receipt does not belong to it`);
  return { receipt, checkpoint, entry };
}
