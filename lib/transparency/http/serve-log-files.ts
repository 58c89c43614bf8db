import "server-only";
import { parseTilePath } from "@/lib/merkle/tile-paths";
import { createHash } from "node:crypto";
import { readEntryBundle, readLogTile } from "@/lib/transparency/read-log";
import { getPublishedCheckpoint } from "@/lib/transparency/witnesses/published-checkpoint";
import { findLogVerifierKey } from "@/lib/transparency/log-signer";

/**
 * The C2SP tlog-tiles read API, as plain Responses: the mutable checkpoint
 * (cached a second at most), tiles and entry bundles (immutable: a full
 * tile never changes, and a partial tile of width W is fixed once served), and
 * the log's verifier key. A static file host or a CDN can mirror all of it.
 */
const IMMUTABLE = "public, max-age=31536000, immutable";
const text = (body: string, status: number, cache: string) =>
  new Response(body, {
    status,
    headers: {
      "content-type": "text/plain; charset=utf-8",
      "cache-control": cache,
      "access-control-allow-origin": "*",
    },
  });

/**
 * The published checkpoint (the newest, once its witnesses' quorum cosigned
 * it; docs/LOG.md "Witnesses") with those cosignatures. tlog-tiles asks that
 * this mutable file not be cached beyond a few seconds: a shared cache may
 * keep it one second and then must revalidate, which its ETag makes a 304
 * while nothing changed. `Guildhall-Log-Witnessed` says whether it reached
 * the quorum (`yes` or `no`, with `cosigned=K; required=Q; witnesses=N`).
 */
// The ETag of the body served last: monitors and mirrors poll the same checkpoint over and over, and it changes
// only with a new checkpoint or cosignature.
let lastEtag: { body: string; etag: string } | undefined;
function etagOf(body: string): string {
  if (lastEtag?.body !== body)
    lastEtag = { body, etag: `"${createHash("sha256").update(body).digest("base64url").slice(0, 27)}"` };
  return lastEtag.etag;
}

export async function serveCheckpoint(req?: Request): Promise<Response> {
  const published = await getPublishedCheckpoint();
  if (!published) return text("the log has no checkpoint yet\n", 404, "no-store");
  const body = published.cosignedNote;
  const etag = etagOf(body);
  const headers = {
    "content-type": "text/plain; charset=utf-8",
    "cache-control": "public, max-age=1, must-revalidate",
    "access-control-allow-origin": "*",
    "access-control-expose-headers": "ETag, Guildhall-Log-Witnessed",
    etag,
    "last-modified": published.createdAt.toUTCString(),
    "guildhall-log-witnessed": `${published.witnessed ? "yes" : "no"}; cosigned=${published.cosigners.length}; required=${published.required}; witnesses=${published.witnesses}`,
  };
  const match = req?.headers.get("if-none-match");
  if (match?.split(",").some((tag) => tag.trim().replace(/^W\//, "") === etag))
    return new Response(null, { status: 304, headers });
  return new Response(body, { status: 200, headers });
}

export async function serveLogVerifierKey(): Promise<Response> {
  // A reader never makes the key: before the first checkpoint there is none to publish.
  const vkey = await findLogVerifierKey();
  if (!vkey) return text("the log has no key yet\n", 404, "no-store");
  return text(`${vkey}\n`, 200, "public, max-age=300");
}

/**
 * Tiles and bundles served lately, by address and width: what one holds never
 * changes (the stored tile only grows beyond it), so a copy is as good as a
 * read, and the newest tiles, which every monitor and verifier asks for, are
 * served without the database. Bounded by bytes; least recently used first out.
 */
const TILE_CACHE_BYTES = 16 * 1024 * 1024;
const servedTiles = new Map<string, Uint8Array>();
let servedTileBytes = 0;
function remember(key: string, bytes: Uint8Array): void {
  servedTiles.set(key, bytes);
  servedTileBytes += bytes.length;
  for (const [oldest, old] of servedTiles) {
    if (servedTileBytes <= TILE_CACHE_BYTES) break;
    servedTiles.delete(oldest);
    servedTileBytes -= old.length;
  }
}

/**
 * A response body of the cached bytes as they are: one chunk of a stream, which the server writes to the
 * socket. A Uint8Array body would be copied for every response, and a Blob's stream reads itself back in
 * pieces through the blob store, which cost an entry bundle (tens of kilobytes) four times its serving.
 * Nothing writes to the cached bytes, so every response may share them.
 */
function bodyOf(bytes: Uint8Array): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      controller.enqueue(bytes);
      controller.close();
    },
  });
}

const TILE_HEADERS = {
  "content-type": "application/octet-stream",
  "cache-control": IMMUTABLE,
  "access-control-allow-origin": "*",
};

/** `segments`: the path after `tile/`, e.g. ["0", "x001", "234", "067.p", "12"]. */
export async function serveTile(segments: readonly string[]): Promise<Response> {
  const address = parseTilePath(segments);
  if (!address) return text("not a tlog-tiles path\n", 400, "no-store");
  const key = `${address.level}/${address.index}/${address.width}`;
  let bytes = servedTiles.get(key);
  if (bytes) {
    // Most recently used last: the first key is the one to evict.
    servedTiles.delete(key);
    servedTiles.set(key, bytes);
  } else {
    const read =
      address.level === "entries"
        ? await readEntryBundle(address.index, address.width)
        : await readLogTile(address.level, address.index, address.width);
    // A tile the log does not hold (yet): 404, never cached, as the spec asks for absent tiles.
    if (!read) return text("no such tile\n", 404, "no-store");
    bytes = new Uint8Array(read);
    remember(key, bytes);
  }
  return new Response(bodyOf(bytes), { headers: { ...TILE_HEADERS, "content-length": String(bytes.length) } });
}
