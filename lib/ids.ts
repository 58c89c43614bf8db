import crypto from "node:crypto";

/**
 * Prefixed random ids (`usr_…`, `lic_…`) so a person reading a log or a URL
 * knows what an id names. 16 random bytes: unguessable, collision-free.
 */
export function newId(prefix: string): string {
  return `${prefix}_${crypto.randomBytes(16).toString("base64url")}`;
}
