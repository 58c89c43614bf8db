import { readFile, rename, writeFile } from "node:fs/promises";
import { consistencyProof, verifyConsistency } from "../../lib/merkle/proofs";
import { appendToEdge, edgeRoot, edgeTileAddresses, tileHashes, type TileEdge } from "../../lib/merkle/tile-edge";
import { TILE_WIDTH, tilePath } from "../../lib/merkle/tile-paths";
import { tiledRangeHash } from "../../lib/merkle/tiled-tree";
import { leafHash } from "../../lib/merkle/tree-hash";
import { bundleEntries, sourceTileReader, type LogSource } from "./log-source";
import { verifyCheckpoint, type CheckedCheckpoint } from "./verify-checkpoint";

/**
 * A monitor of Guildhall's log, as Certificate Transparency monitors follow
 * theirs: it reads the log from its tiles, holds every new checkpoint to the
 * one it saw before (the same root for the same size, a consistency proof to a
 * larger one, and the new entries, hashed onto the tree's right edge it keeps,
 * must give the new root), and reports the entries a party cares about. What it
 * saw is kept in a state file, written only after a poll verified.
 */
export type MonitorState = {
  version: 1;
  logKey: string;
  origin: string;
  size: number;
  rootHash: string;
  /** The tree's right edge (tlog-tiles partial tiles per level), base64 hashes. */
  edge: string[][];
  checkpoint: string;
};

export type LogEntry = {
  action: string;
  at: string;
  subject: { type: string; id: string | null };
  data?: Record<string, unknown>;
};

export type Report = { index: number; at: string; action: string; subject: string; why: string };

export class MonitorAlarm extends Error {}

/** Why an entry matters to whoever asked; null when it does not. */
export type EntryFilter = (entry: LogEntry) => string | null;

const notable: Record<string, string | ((e: LogEntry) => string | null)> = {
  "license.suspended": "a license was suspended",
  "license.revoked": "a license was revoked (its certificates with it)",
  "license.reinstated": "a license was reinstated",
  "license_certificate.issued": (e) =>
    e.data?.rekeyed === true ? "a certificate was issued with a new key: the previous ones are revoked" : null,
  "oidc_client.registered": "a new OIDC client",
  "oidc_client.suspended": "an OIDC client was suspended",
  "signing_key.created": "a signing key was made (a key rotation)",
  "signing_key.retired": "a signing key was retired (a key rotation)",
  "certificate_authority.created": "a certificate authority was made",
  "certificate_authority.retired": "a certificate authority was retired",
  "federation_host.admitted": "a host was admitted",
  "federation_host.removed": "a host was removed",
  "log_witness.set": "a host's witness was set",
  "log_witness.removed": "a host's witness was removed",
};

/**
 * The filter: `subjects` (`type:id`, e.g. `license:lic_…`) and `actions`
 * (prefixes, e.g. `license.`) narrow to what matches every dimension given;
 * with neither, the revocations, suspensions, new clients, key rotations and
 * host admissions above; `all` reports every entry.
 */
export function entryFilter(opts: { subjects?: string[]; actions?: string[]; all?: boolean }): EntryFilter {
  const subjects = opts.subjects ?? [];
  const actions = opts.actions ?? [];
  if (opts.all) return () => "every entry";
  if (subjects.length === 0 && actions.length === 0)
    return (e) => {
      const rule = notable[e.action];
      return typeof rule === "function" ? rule(e) : (rule ?? null);
    };
  return (e) => {
    const subject = `${e.subject.type}:${e.subject.id}`;
    if (subjects.length > 0 && !subjects.includes(subject)) return null;
    if (actions.length > 0 && !actions.some((a) => e.action.startsWith(a))) return null;
    const rule = notable[e.action];
    const why = typeof rule === "function" ? rule(e) : rule;
    return why ?? (subjects.length > 0 ? `an entry about ${subject}` : `a ${e.action} entry`);
  };
}

export async function readMonitorState(file: string): Promise<MonitorState | null> {
  try {
    const state = JSON.parse(await readFile(file, "utf8")) as MonitorState;
    if (state.version !== 1) throw new Error(`${file}: not a monitor state file`);
    return state;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw err;
  }
}

export async function writeMonitorState(file: string, state: MonitorState): Promise<void> {
  await writeFile(`${file}.tmp`, `${JSON.stringify(state)}\n`, { mode: 0o600 });
  await rename(`${file}.tmp`, file);
}

const toEdge = (state: MonitorState): TileEdge => ({
  size: state.size,
  levels: state.edge.map((level) => level.map((h) => Buffer.from(h, "base64"))),
});

/**
 * One poll. `start: "latest"` on a first run skips the history (the edge is
 * read from the newest tiles and checked against the root); by default a first
 * run reads every entry. Throws MonitorAlarm when the log contradicts what was
 * seen before or what it signed.
 */
export async function monitorOnce(p: {
  source: LogSource;
  logKey: string;
  witnesses?: string[];
  quorum?: number;
  state: MonitorState | null;
  filter: EntryFilter;
  start?: "first" | "latest";
}): Promise<{
  state: MonitorState;
  checkpoint: CheckedCheckpoint;
  newEntries: number;
  reports: Report[];
  stale: boolean;
}> {
  const note = await p.source.text("checkpoint");
  const c = verifyCheckpoint(note, p.logKey, p.witnesses ?? [], p.quorum ?? 0);
  const reader = sourceTileReader(p.source);
  let edge: TileEdge;
  if (p.state) {
    if (p.state.origin !== c.origin) throw new MonitorAlarm(`the log's origin is ${c.origin}, not ${p.state.origin}`);
    const seenRoot = Buffer.from(p.state.rootHash, "base64");
    if (c.size < p.state.size) {
      // A stale copy (a cache, a mirror) is fine if it is a prefix of what was seen; anything else is a fork.
      const proof =
        c.size === 0 ? [] : await consistencyProof(c.size, p.state.size, tiledRangeHash(p.state.size, reader));
      if (!verifyConsistency(c.size, p.state.size, c.rootHash, seenRoot, proof))
        throw new MonitorAlarm(
          `the log served a checkpoint of size ${c.size} that is NOT a prefix of the one of size ${p.state.size} seen before: a fork`,
        );
      return { state: p.state, checkpoint: c, newEntries: 0, reports: [], stale: true };
    }
    if (c.size === p.state.size) {
      if (!c.rootHash.equals(seenRoot))
        throw new MonitorAlarm(`the log signed two different roots for size ${c.size}: a fork`);
      return { state: { ...p.state, checkpoint: note }, checkpoint: c, newEntries: 0, reports: [], stale: false };
    }
    if (p.state.size > 0) {
      const proof = await consistencyProof(p.state.size, c.size, tiledRangeHash(c.size, reader));
      if (!verifyConsistency(p.state.size, c.size, seenRoot, c.rootHash, proof))
        throw new MonitorAlarm(
          `the checkpoint of size ${c.size} is NOT consistent with the one of size ${p.state.size} seen before: the log was rewritten`,
        );
    }
    edge = toEdge(p.state);
  } else if (p.start === "latest") {
    const levels: Buffer[][] = [];
    for (const { level, index, width } of edgeTileAddresses(c.size))
      levels[level] = tileHashes(await reader(level, index, width));
    edge = { size: c.size, levels };
    if (!edgeRoot(edge).equals(c.rootHash)) throw new MonitorAlarm("the log's newest tiles do not hash to its root");
  } else edge = { size: 0, levels: [] };

  const reports: Report[] = [];
  const from = edge.size;
  for (let bundle = Math.floor(from / TILE_WIDTH); bundle * TILE_WIDTH < c.size; bundle++) {
    const width = Math.min(TILE_WIDTH, c.size - bundle * TILE_WIDTH);
    const entries = bundleEntries(await p.source.bytes(tilePath({ level: "entries", index: bundle, width })));
    if (entries.length !== width)
      throw new MonitorAlarm(`entry bundle ${bundle} holds ${entries.length} entries, not ${width}`);
    const skip = Math.max(0, from - bundle * TILE_WIDTH);
    const fresh = entries.slice(skip);
    edge = appendToEdge(
      edge,
      fresh.map((e) => leafHash(e)),
    ).edge;
    for (const [i, bytes] of fresh.entries()) {
      const index = bundle * TILE_WIDTH + skip + i;
      const entry = JSON.parse(bytes.toString("utf8")) as LogEntry;
      const why = p.filter(entry);
      if (why)
        reports.push({
          index,
          at: entry.at,
          action: entry.action,
          subject: `${entry.subject.type}:${entry.subject.id}`,
          why,
        });
    }
  }
  if (!edgeRoot(edge).equals(c.rootHash))
    throw new MonitorAlarm(
      `the entries ${from}…${c.size - 1} do not hash to the signed root: the log serves other entries than it signed`,
    );
  return {
    state: {
      version: 1,
      logKey: p.logKey,
      origin: c.origin,
      size: c.size,
      rootHash: c.rootHash.toString("base64"),
      edge: edge.levels.map((level) => level.map((h) => h.toString("base64"))),
      checkpoint: note,
    },
    checkpoint: c,
    newEntries: c.size - from,
    reports,
    stale: false,
  };
}
