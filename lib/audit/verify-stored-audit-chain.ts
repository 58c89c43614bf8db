import "server-only";
import { readAuditEvents } from "@/lib/audit/read-audit-events";
import { verifyAuditRecords, type ChainVerdict } from "@/lib/audit/verify-audit-chain";

/** Verifies the chain as stored in this database. */
export function verifyStoredAuditChain(): Promise<ChainVerdict> {
  return verifyAuditRecords(readAuditEvents());
}
