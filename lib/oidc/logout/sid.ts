import "server-only";
import { sha256Hex } from "@/lib/crypto/hash";

/**
 * The OIDC session id (`sid`) of a Guildhall session: derived from the session
 * row's id, so it names the session to relying parties without exposing
 * anything that could be used to take it over.
 */
export function sidOf(sessionId: string): string {
  return sha256Hex(`guildhall-sid:${sessionId}`).slice(0, 32);
}
