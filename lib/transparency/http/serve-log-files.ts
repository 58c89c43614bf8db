import { parseTilePath } from "@/lib/merkle/tile-paths";
import { getLatestCheckpoint, readEntryBundle, readLogTile } from "@/lib/transparency/read-log";
import { getLogSigner } from "@/lib/transparency/log-signer";

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

export async function serveCheckpoint(): Promise<Response> {
  const checkpoint = await getLatestCheckpoint();
  if (!checkpoint) return text("the log has no checkpoint yet\n", 404, "no-store");
  return text(checkpoint.note, 200, "public, max-age=1");
}

export async function serveLogVerifierKey(): Promise<Response> {
  return text(`${(await getLogSigner()).verifierKey}\n`, 200, "public, max-age=300");
}

/** `segments`: the path after `tile/`, e.g. ["0", "x001", "234", "067.p", "12"]. */
export async function serveTile(segments: readonly string[]): Promise<Response> {
  const address = parseTilePath(segments);
  if (!address) return text("not a tlog-tiles path\n", 400, "no-store");
  const bytes =
    address.level === "entries"
      ? await readEntryBundle(address.index, address.width)
      : await readLogTile(address.level, address.index, address.width);
  // A tile the log does not hold (yet): 404, never cached, as the spec asks for absent tiles.
  if (!bytes) return text("no such tile\n", 404, "no-store");
  return new Response(new Uint8Array(bytes), {
    headers: {
      "content-type": "application/octet-stream",
      "cache-control": IMMUTABLE,
      "access-control-allow-origin": "*",
    },
  });
}
