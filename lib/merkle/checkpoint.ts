import { HASH_BYTES } from "./tree-hash";

/**
 * C2SP tlog-checkpoint note text: the origin line, the tree size in decimal,
 * the base64 root hash, each ending in a newline. Guildhall adds no
 * extension lines (the spec discourages them).
 */
export type Checkpoint = { origin: string; size: number; rootHash: Buffer };

export function formatCheckpointText(c: Checkpoint): string {
  return `${c.origin}\n${c.size}\n${c.rootHash.toString("base64")}\n`;
}

export function parseCheckpointText(text: string): Checkpoint & { extensions: string[] } {
  const lines = text.split("\n");
  if (lines.pop() !== "" || lines.length < 3) throw new Error("a checkpoint has three lines, each ending in a newline");
  const [origin, sizeText, rootText, ...extensions] = lines;
  if (!origin || /\s|\+/.test(origin)) throw new Error("bad checkpoint origin");
  if (!/^(0|[1-9][0-9]*)$/.test(sizeText) || !Number.isSafeInteger(Number(sizeText)))
    throw new Error("bad checkpoint size");
  const rootHash = Buffer.from(rootText, "base64");
  if (rootHash.length !== HASH_BYTES || rootHash.toString("base64") !== rootText)
    throw new Error("bad checkpoint root hash");
  if (extensions.some((line) => line === "")) throw new Error("empty checkpoint extension line");
  return { origin, size: Number(sizeText), rootHash, extensions };
}
