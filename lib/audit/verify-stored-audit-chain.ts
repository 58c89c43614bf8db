import "server-only";
import { readAuditEvents } from "@/lib/audit/read-audit-events";
import { verifyAuditRecords, type ChainVerdict } from "@/lib/audit/verify-audit-chain";
import { sequenceAllPendingAuditEvents } from "@/lib/audit/sequence-audit-events";

/** Verifies the chain as stored in this database, every committed event sequenced first. */
export async function verifyStoredAuditChain(): Promise<ChainVerdict> {
  await sequenceAllPendingAuditEvents();
  return verifyAuditRecords(readAuditEvents());
}
