import "server-only";
import { createHash } from "node:crypto";
import { gzipSync } from "node:zlib";
import type { PublicFile } from "@/lib/http/serve-public-file-like-next";
import { parseTilePath } from "@/lib/merkle/tile-paths";
import { processSlot } from "@/lib/process-state";
import { readEntryBundle, readLogTile } from "@/lib/transparency/read-log";
import { getPublishedCheckpoint, type PublishedCheckpoint } from "@/lib/transparency/witnesses/published-checkpoint";
import { findLogVerifierKey } from "@/lib/transparency/log-signer";
import { staleWhileRevalidate, type StaleWhileRevalidate } from "@/lib/stale-while-revalidate";
import { log } from "@/lib/log";

/**
 * The C2SP tlog-tiles read API, as public files (the same answer for every
 * caller of a path): the mutable checkpoint (cached a second at most), tiles
 * and entry bundles (immutable: a full tile never changes, and a partial tile
 * of width W is fixed once served), and the log's verifier key. A static file
 * host or a CDN can mirror all of it. The routes under app/log/ turn these
 * into Responses; the protocol fast lane sends them as they are
 * (lib/transparency/http/log-file-endpoints.ts).
 */
const IMMUTABLE = "public, max-age=31536000, immutable";
const text = (body: string, status: number, cache: string): PublicFile => ({
  status,
  body,
  headers: {
    "content-type": "text/plain; charset=utf-8",
    "cache-control": cache,
    "access-control-allow-origin": "*",
  },
});

/**
 * What this process keeps of the files it served. One per process
 * (lib/process-state.ts): the protocol fast lane and the route bundles share
 * one cache rather than filling two.
 * - The answers for the published checkpoint it served last: monitors and
 *   mirrors poll the same checkpoint over and over, and it changes only with
 *   a new checkpoint or cosignature (its ETag, headers and body are worked out
 *   once per copy).
 * - Tiles and bundles served lately, by address and width: what one holds
 *   never changes (the stored tile only grows beyond it), so a copy is as good
 *   as a read, and the newest tiles, which every monitor and verifier asks
 *   for, are served without the database. An entry bundle keeps its gzip
 *   form beside it once a client asked for one (entryBundleGzip). Bounded by
 *   bytes, both forms counted; least recently used first out.
 * - The log's key, read again in the background once a second
 *   (logVerifierKeyFile).
 */
type ServedLogFiles = {
  checkpoint?: { published: PublishedCheckpoint; ok: PublicFile; notModified: PublicFile; etag: string };
  key?: StaleWhileRevalidate<PublicFile>;
  tiles: Map<string, ServedTile>;
  tileBytes: number;
};
/** A tile or bundle as served: its bytes, and for an entry bundle its gzip form once one was asked for. */
type ServedTile = { file: PublicFile; gzipped?: PublicFile };
const TILE_CACHE_BYTES = 16 * 1024 * 1024;
const served = () =>
  processSlot<ServedLogFiles>("servedLogFiles").getOrInit(() => ({ tiles: new Map(), tileBytes: 0 }));

/**
 * The published checkpoint (the newest, once its witnesses' quorum cosigned
 * it; docs/LOG.md "Witnesses") with those cosignatures. tlog-tiles asks that
 * this mutable file not be cached beyond a few seconds: a shared cache may
 * keep it one second and then must revalidate, which its ETag makes a 304
 * while nothing changed. `Guildhall-Log-Witnessed` says whether it reached
 * the quorum (`yes` or `no`, with `cosigned=K; required=Q; witnesses=N`).
 * Answered without awaiting anything while this process holds a copy of the
 * published checkpoint (lib/transparency/witnesses/published-checkpoint.ts).
 */
export function checkpointFile(ifNoneMatch: string | null): PublicFile | Promise<PublicFile> {
  const published = getPublishedCheckpoint();
  return published instanceof Promise
    ? published.then((p) => checkpointAnswer(p, ifNoneMatch))
    : checkpointAnswer(published, ifNoneMatch);
}

function checkpointAnswer(published: PublishedCheckpoint | null, ifNoneMatch: string | null): PublicFile {
  if (!published) return text("the log has no checkpoint yet\n", 404, "no-store");
  const files = served();
  if (files.checkpoint?.published !== published) files.checkpoint = checkpointAnswers(published);
  const { ok, notModified, etag } = files.checkpoint;
  if (ifNoneMatch?.split(",").some((tag) => tag.trim().replace(/^W\//, "") === etag)) return notModified;
  return ok;
}

function checkpointAnswers(published: PublishedCheckpoint) {
  const body = published.cosignedNote;
  const etag = `"${createHash("sha256").update(body).digest("base64url").slice(0, 27)}"`;
  const headers = {
    "content-type": "text/plain; charset=utf-8",
    "cache-control": "public, max-age=1, must-revalidate",
    "access-control-allow-origin": "*",
    "access-control-expose-headers": "ETag, Guildhall-Log-Witnessed",
    etag,
    "last-modified": published.createdAt.toUTCString(),
    "guildhall-log-witnessed": `${published.witnessed ? "yes" : "no"}; cosigned=${published.cosigners.length}; required=${published.required}; witnesses=${published.witnesses}`,
  };
  return { published, etag, ok: { status: 200, headers, body }, notModified: { status: 304, headers, body: null } };
}

/**
 * The log's verifier key. It changes only by a deliberate rotation (`keys rotate --purpose log`), and HTTP caches
 * keep it five minutes, so each process keeps a copy: served as it is for a second, then still served while one
 * read refreshes it, never once its read began 10 s ago (lib/stale-while-revalidate.ts). So the key is answered
 * without the database, as the checkpoint and the tiles it is fetched with, and a rotation reaches every instance
 * within seconds.
 */
export function logVerifierKeyFile(): PublicFile | Promise<PublicFile> {
  const files = served();
  files.key ??= staleWhileRevalidate(readLogVerifierKeyFile, {
    freshMs: 1_000,
    maxStaleMs: 10_000,
    onRefreshFailed: (e) => log.warn({ err: e instanceof Error ? e.message : String(e) }, "log key not refreshed"),
  });
  return files.key.get();
}

async function readLogVerifierKeyFile(): Promise<PublicFile> {
  // A reader never makes the key: before the first checkpoint there is none to publish.
  const vkey = await findLogVerifierKey();
  if (!vkey) return text("the log has no key yet\n", 404, "no-store");
  return text(`${vkey}\n`, 200, "public, max-age=300");
}

const TILE_HEADERS = {
  "content-type": "application/octet-stream",
  "cache-control": IMMUTABLE,
  "access-control-allow-origin": "*",
};
// An entry bundle's answer depends on Accept-Encoding (gzip or not): shared caches must keep both apart.
const BUNDLE_HEADERS = { ...TILE_HEADERS, vary: "accept-encoding" };
const NOT_IN_LAYOUT = text("not a tlog-tiles path\n", 400, "no-store");
const NO_SUCH_TILE = text("no such tile\n", 404, "no-store");

/**
 * A tile or an entry bundle. `segments`: the path after `tile/`, e.g.
 * ["0", "x001", "234", "067.p", "12"]; `acceptEncoding`: the request's
 * Accept-Encoding. Answered without awaiting anything when this process
 * served it lately.
 *
 * Entry bundles go gzipped to a client that accepts gzip (`Content-Encoding:
 * gzip`, `Vary: Accept-Encoding`), as they are to any other: a full bundle is
 * some 77 KB of JSON that gzip makes about five times smaller, and serving it
 * was bound by the bytes (at 0.6 of the discovery document's rate over HTTP).
 * A bundle never changes, so it is compressed once per process and kept beside
 * its bytes. Hash tiles are random bytes that gzip cannot shrink: always as
 * they are.
 */
export function tileFile(
  segments: readonly string[],
  acceptEncoding: string | null = null,
): PublicFile | Promise<PublicFile> {
  const address = parseTilePath(segments);
  if (!address) return NOT_IN_LAYOUT;
  const key = `${address.level}/${address.index}/${address.width}`;
  const gzip = address.level === "entries" && acceptsGzip(acceptEncoding);
  const files = served();
  const hit = files.tiles.get(key);
  if (hit) {
    // Most recently used last: the first key is the one to evict.
    files.tiles.delete(key);
    files.tiles.set(key, hit);
    return gzip ? gzippedFile(files, key, hit) : hit.file;
  }
  const bundle = address.level === "entries";
  const read =
    address.level === "entries"
      ? readEntryBundle(address.index, address.width)
      : readLogTile(address.level, address.index, address.width);
  return read.then((bytes) => {
    // A tile the log does not hold (yet): 404, never cached, as the spec asks for absent tiles.
    if (!bytes) return NO_SUCH_TILE;
    const body = new Uint8Array(bytes);
    const tile: ServedTile = {
      file: {
        status: 200,
        headers: { ...(bundle ? BUNDLE_HEADERS : TILE_HEADERS), "content-length": String(body.length) },
        body,
      },
    };
    const kept = remember(files, key, tile, body.length);
    return gzip ? gzippedFile(files, key, kept) : kept.file;
  });
}

/** The gzip form of a bundle, made the first time it is asked for and kept beside its bytes. */
function gzippedFile(files: ServedLogFiles, key: string, tile: ServedTile): PublicFile {
  if (!tile.gzipped) {
    const body = new Uint8Array(gzipSync(tile.file.body as Uint8Array));
    tile.gzipped = {
      status: 200,
      headers: { ...tile.file.headers, "content-encoding": "gzip", "content-length": String(body.length) },
      body,
    };
    // Counted in the cache's bytes, unless the bundle was evicted meanwhile (then it is not kept either).
    if (files.tiles.get(key) === tile) grow(files, body.length);
  }
  return tile.gzipped;
}

/**
 * Whether an Accept-Encoding header accepts gzip: `gzip` (or `x-gzip`, or `*`) listed without `q=0`
 * (RFC 9110, 12.5.3). No header, or `identity` only, means the bytes as they are.
 */
export function acceptsGzip(acceptEncoding: string | null): boolean {
  if (!acceptEncoding) return false;
  let gzip: boolean | undefined;
  let any: boolean | undefined;
  for (const part of acceptEncoding.split(",")) {
    const [coding, ...params] = part.trim().toLowerCase().split(";");
    const q = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
    const accepted = !q || Number(q.slice(2)) > 0;
    if (coding.trim() === "gzip" || coding.trim() === "x-gzip") gzip = accepted;
    else if (coding.trim() === "*") any = accepted;
  }
  return gzip ?? any ?? false;
}

function remember(files: ServedLogFiles, key: string, tile: ServedTile, size: number): ServedTile {
  const kept = files.tiles.get(key);
  if (kept) return kept;
  files.tiles.set(key, tile);
  grow(files, size);
  return tile;
}

function grow(files: ServedLogFiles, size: number): void {
  files.tileBytes += size;
  for (const [oldest, old] of files.tiles) {
    if (files.tileBytes <= TILE_CACHE_BYTES) break;
    files.tiles.delete(oldest);
    files.tileBytes -=
      (old.file.body as Uint8Array).length + ((old.gzipped?.body as Uint8Array | undefined)?.length ?? 0);
  }
}

/**
 * The segments of a tile path as it came in the request line, for the
 * protocol fast lane: only paths of letters, digits, `.`, `_` and `-` in
 * non-empty segments, no dot segment, no trailing slash, which Next would
 * hand to the route as the same segments (nothing to decode or normalize).
 * Anything else is left to Next, which answers it as it always does.
 */
const PLAIN_SEGMENTS = /^[A-Za-z0-9_.-]+(?:\/[A-Za-z0-9_.-]+)*$/;
export function plainTileSegments(rest: string): string[] | undefined {
  if (!PLAIN_SEGMENTS.test(rest)) return undefined;
  const segments = rest.split("/");
  return segments.some((s) => s === "." || s === "..") ? undefined : segments;
}
