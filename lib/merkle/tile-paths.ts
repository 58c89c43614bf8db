/**
 * The C2SP tlog-tiles layout: tiles of 256 hashes (height 8), addressed as
 * `tile/<L>/<N>[.p/<W>]` and entry bundles as `tile/entries/<N>[.p/<W>]`,
 * where N is written in zero-padded 3-digit groups, all but the last prefixed
 * with `x` (1234067 → `x001/x234/067`).
 */
export const TILE_HEIGHT = 8;
export const TILE_WIDTH = 256;
export const MAX_TILE_LEVEL = 63;

export type TileAddress = { level: number | "entries"; index: number; width: number };

export function formatTileIndex(index: number): string {
  const groups: string[] = [];
  let n = index;
  do {
    groups.unshift(String(n % 1000).padStart(3, "0"));
    n = Math.floor(n / 1000);
  } while (n > 0);
  return groups.map((g, i) => (i < groups.length - 1 ? `x${g}` : g)).join("/");
}

/** The path of a tile below the log's prefix; width TILE_WIDTH is a full tile, less a partial one. */
export function tilePath(address: TileAddress): string {
  const partial = address.width < TILE_WIDTH ? `.p/${address.width}` : "";
  return `tile/${address.level}/${formatTileIndex(address.index)}${partial}`;
}

const DECIMAL = /^(0|[1-9][0-9]*)$/;

/**
 * Reads the path segments after `tile/`, e.g. ["0", "x001", "234", "067.p", "12"].
 * Null for anything not in the layout: levels above 63, indexes not written the
 * one canonical way, widths outside 1..255.
 */
export function parseTilePath(segments: readonly string[]): TileAddress | null {
  if (segments.length < 2) return null;
  const [levelText, ...rest] = segments;
  let level: number | "entries";
  if (levelText === "entries") level = "entries";
  else if (DECIMAL.test(levelText) && Number(levelText) <= MAX_TILE_LEVEL) level = Number(levelText);
  else return null;
  let width = TILE_WIDTH;
  let groups = rest;
  const last = rest[rest.length - 1];
  const beforeLast = rest[rest.length - 2];
  if (rest.length >= 2 && beforeLast.endsWith(".p")) {
    if (!DECIMAL.test(last)) return null;
    width = Number(last);
    if (width < 1 || width >= TILE_WIDTH) return null;
    groups = [...rest.slice(0, -2), beforeLast.slice(0, -2)];
  }
  if (groups.length === 0) return null;
  let index = 0;
  for (const [i, group] of groups.entries()) {
    const isLast = i === groups.length - 1;
    const digits = isLast ? group : group.startsWith("x") ? group.slice(1) : null;
    if (digits === null || !/^[0-9]{3}$/.test(digits)) return null;
    index = index * 1000 + Number(digits);
  }
  if (!Number.isSafeInteger(index) || formatTileIndex(index) !== groups.join("/")) return null;
  return { level, index, width };
}

/** How many hashes the rightmost tile at `level` holds in a tree of `size` leaves (0: no partial tile). */
export function partialTileWidth(size: number, level: number): number {
  return Math.floor(size / TILE_WIDTH ** level) % TILE_WIDTH;
}
