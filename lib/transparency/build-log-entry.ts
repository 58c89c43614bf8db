import { createHash, hash } from "node:crypto";
import canonicalize from "canonicalize";
import type { AuditEventRecord } from "@/lib/audit/audit-event-hash";
import { pooledRandomBytes } from "@/lib/crypto/random-base64url";
import {
  ALWAYS_PERSONAL_KEYS,
  MAX_ENTRY_BYTES,
  PERSONAL_DATA_KEYS_BY_ACTION,
  PUBLIC_STATE_SUBJECT_TYPES,
} from "@/lib/transparency/log-entry-rules";

export const LOG_ENTRY_VERSION = 1;

export type Commitment = { commitment: string };

/** A public log entry, version 1 (schema in docs/LOG.md). */
export type LogEntryV1 = {
  v: 1;
  event: string;
  at: string;
  action: string;
  actor: { type: string; id: string | null };
  subject: { type: string; id: string };
  state: { digest: string } | Commitment;
  data: unknown;
};

/** The private half of a commitment: what was committed and the salt that opens it. */
export type Opening = { path: string; salt: Buffer; value: string; ownerUserId: string | null };

/** A string as RFC 8785 writes it: JSON.stringify's form; a lone surrogate is refused, as canonicalize does. */
function canonicalString(value: string): string {
  if (!value.isWellFormed()) throw new Error("Lone surrogate is not allowed");
  return JSON.stringify(value);
}

/** RFC 8785 canonical JSON: the form every entry, value and digest of the log is computed over. */
export function canonicalLogJson(value: unknown): string {
  // A string (a committed digest or email, most often) without the package's character-by-character check.
  if (typeof value === "string") return canonicalString(value);
  const text = canonicalize(value);
  if (text === undefined) throw new Error("not serializable as JSON");
  return text;
}

/** SHA-256(salt || canonical JSON of the value), hex: anyone with the opening can check it; nobody without can. */
export function commitmentOf(salt: Uint8Array, canonicalValue: string): string {
  // One-shot over the joined bytes: no Hash object per commitment (the integrator makes one per entry at least).
  return hash("sha256", Buffer.concat([salt, Buffer.from(canonicalValue)]), "hex");
}

/**
 * canonicalLogJson(entry), written out for an entry's fixed shape (as buildLogEntry makes it): the keys in
 * RFC 8785 order, only `data` canonicalized in general. The integrator writes every entry of a round, and the
 * general form's key sorting and intermediate arrays cost a fifth of its time (docs/LOG.md, "Where the time
 * went"). tests/unit/log/log-entry-json.test.ts checks it against canonicalize over random events.
 */
function logEntryJson(entry: LogEntryV1): string {
  const { actor, subject, state } = entry;
  const texts = [entry.action, actor.type, entry.at, entry.event, subject.id, subject.type];
  const stateValue = "digest" in state ? state.digest : state.commitment;
  // Another shape (a field missing or not text: a hand-made record) takes the general path.
  if (
    texts.some((t) => typeof t !== "string") ||
    !(actor.id === null || typeof actor.id === "string") ||
    typeof stateValue !== "string" ||
    Object.keys(state).length !== 1 ||
    entry.data === undefined
  )
    return canonicalLogJson(entry);
  const stateJson =
    "digest" in state
      ? `{"digest":${canonicalString(state.digest)}}`
      : `{"commitment":${canonicalString(state.commitment)}}`;
  return (
    `{"action":${canonicalString(entry.action)},` +
    `"actor":{"id":${actor.id === null ? "null" : canonicalString(actor.id)},"type":${canonicalString(actor.type)}},` +
    `"at":${canonicalString(entry.at)},"data":${canonicalLogJson(entry.data)},"event":${canonicalString(entry.event)},` +
    `"state":${stateJson},"subject":{"id":${canonicalString(subject.id)},"type":${canonicalString(subject.type)}},` +
    `"v":${entry.v}}`
  );
}

/**
 * A fresh 32-byte salt, cut from the process's pool of random bytes: a draw of the system's generator per salt
 * cost more than the rest of building an entry, and an integration round builds thousands.
 */
const freshSalt = () => pooledRandomBytes(32);

/** An entry as the integrator writes it: its bytes, and the openings of its commitments to keep privately. */
export type BuiltLogEntry = { entry: LogEntryV1; body: string; openings: Opening[] };

/**
 * The public entry of an audit event, with its personal fields committed under
 * fresh salts (returned as openings, to be kept privately). Pure but for the
 * salts: the same event always yields the same entry once its openings exist.
 */
export function buildLogEntry(record: AuditEventRecord, salt: (path: string) => Buffer = freshSalt): BuiltLogEntry {
  const openings: Opening[] = [];
  const ownerUserId = ownerOf(record);
  const commit = (path: string, value: unknown): Commitment => {
    const s = salt(path);
    const canonical = canonicalLogJson(value ?? null);
    openings.push({ path, salt: s, value: canonical, ownerUserId });
    return { commitment: commitmentOf(s, canonical) };
  };

  // Own keys only: an action spelled like an Object method ("constructor") lists no personal keys.
  const personalKeys = new Set(
    Object.hasOwn(PERSONAL_DATA_KEYS_BY_ACTION, record.action) ? PERSONAL_DATA_KEYS_BY_ACTION[record.action] : [],
  );
  const commitData = (value: unknown, path: string, depth: number): unknown => {
    if (value === null || typeof value !== "object") return value;
    if (Array.isArray(value)) return value.map((v, i) => commitData(v, `${path}.${i}`, depth + 1));
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([key, v]) => {
        const personal = ALWAYS_PERSONAL_KEYS.has(key) || (depth === 0 && personalKeys.has(key));
        return [key, personal ? commit(`${path}.${key}`, v) : commitData(v, `${path}.${key}`, depth + 1)];
      }),
    );
  };

  const entry: LogEntryV1 = {
    v: LOG_ENTRY_VERSION,
    event: record.id,
    at: record.occurredAt,
    action: record.action,
    actor: { type: record.actorType, id: record.actorId },
    subject: { type: record.subjectType, id: record.subjectId },
    state: PUBLIC_STATE_SUBJECT_TYPES.has(record.subjectType)
      ? { digest: record.stateDigest }
      : commit("state", record.stateDigest),
    data: commitData(record.data ?? null, "data", 0),
  };
  let body = logEntryJson(entry);
  // At most 3 bytes of UTF-8 per UTF-16 unit: only a long body is measured.
  if (body.length * 3 > MAX_ENTRY_BYTES && Buffer.byteLength(body) > MAX_ENTRY_BYTES) {
    // Too long for an entry bundle: the summary is published as its digest (the private chain keeps it whole).
    entry.data = { digest: createHash("sha256").update(canonicalLogJson(entry.data)).digest("hex") };
    body = logEntryJson(entry);
  }
  return { entry, body, openings };
}

/** Whose personal data an event's commitments hold, so erasing a person finds them. */
function ownerOf(record: AuditEventRecord): string | null {
  if (record.subjectType === "user") return record.subjectId;
  const data = record.data as Record<string, unknown> | null;
  if (data && typeof data.userId === "string") return data.userId;
  return null;
}
