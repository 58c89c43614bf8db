import "server-only";
import { sha256Hex } from "@/lib/crypto/hash";
import { canonicalLogJson } from "@/lib/transparency/build-log-entry";

/**
 * Hex SHA-256 of the RFC 8785 canonical JSON of a value: what an export's signature covers (an org archive's
 * manifest, a theater backup's body and its record-hash list) and each record a version 2 backup lists.
 */
export function canonicalSha256(value: unknown): string {
  return sha256Hex(canonicalLogJson(value));
}
