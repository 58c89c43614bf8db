import { readFile } from "node:fs/promises";
import { tilePath } from "../../lib/merkle/tile-paths";
import type { TileReader } from "../../lib/merkle/tiled-tree";

/**
 * Where the verifier reads a log: a URL prefix (`https://guildhall.example/log`)
 * or a folder with the same layout (`checkpoint`, `tile/...`), as a mirror or a
 * static file host keeps it. Nothing here knows about Guildhall's database.
 */
export type LogSource = {
  text: (path: string) => Promise<string>;
  bytes: (path: string) => Promise<Uint8Array>;
};

export function logSource(location: string): LogSource {
  if (/^https?:\/\//.test(location)) {
    const base = location.replace(/\/+$/, "");
    const get = async (path: string) => {
      // fetch asks for gzip (Accept-Encoding: gzip, deflate) and decodes it: entry bundles come about five times
      // smaller from a portal (docs/LOG.md, "Reading the log"), tiles as they are.
      const res = await fetch(`${base}/${path}`);
      if (!res.ok) throw new Error(`GET ${base}/${path}: ${res.status}`);
      return res;
    };
    return {
      text: async (path) => (await get(path)).text(),
      bytes: async (path) => new Uint8Array(await (await get(path)).arrayBuffer()),
    };
  }
  const dir = location.replace(/\/+$/, "");
  return {
    text: (path) => readFile(`${dir}/${path}`, "utf8"),
    bytes: async (path) => new Uint8Array(await readFile(`${dir}/${path}`)),
  };
}

export function sourceTileReader(source: LogSource): TileReader {
  return (level, index, width) => source.bytes(tilePath({ level, index, width }));
}

/** Splits an entry bundle into its entries (each a big-endian uint16 length, then the bytes). */
export function bundleEntries(bundle: Uint8Array): Buffer[] {
  const bytes = Buffer.from(bundle);
  const entries: Buffer[] = [];
  for (let at = 0; at < bytes.length; ) {
    if (at + 2 > bytes.length) throw new Error("entry bundle truncated");
    const length = bytes.readUInt16BE(at);
    if (at + 2 + length > bytes.length) throw new Error("entry bundle truncated");
    entries.push(bytes.subarray(at + 2, at + 2 + length));
    at += 2 + length;
  }
  return entries;
}
