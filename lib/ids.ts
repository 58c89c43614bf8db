import { randomBase64url } from "@/lib/crypto/random-base64url";

/**
 * Prefixed random ids (`usr_…`, `lic_…`) so a person reading a log or a URL
 * knows what an id names. 16 random bytes: unguessable, collision-free.
 */
export function newId(prefix: string): string {
  return `${prefix}_${randomBase64url(16)}`;
}

/**
 * A prefixed id whose start is the creation time (12 hex digits of Unix
 * milliseconds) followed by 80 random bits: still unguessable and unique, but
 * roughly increasing, so rows written in bulk (ledger entries, imported
 * orders) land at the right edge of their B-tree indexes instead of at random
 * pages, which keeps bulk recording fast once the tables outgrow memory.
 */
export function newSortableId(prefix: string): string {
  return `${prefix}_${Date.now().toString(16).padStart(12, "0")}${randomBase64url(10)}`;
}
