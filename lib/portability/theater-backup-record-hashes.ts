import "server-only";
import { canonicalSha256 } from "@/lib/portability/canonical-sha256";
import type {
  TheaterBackupBody,
  TheaterBackupRecordHashes,
  TheaterBackupRecordSection,
} from "@/lib/portability/theater-backup-schema";

type BackupRecord = Record<string, unknown>;

/**
 * Where each section's records are in a body, and the field that keys them (the one a person looks them up
 * by; null for the keys, which have none). A section of one record is a list of one.
 */
const SECTIONS: Record<
  TheaterBackupRecordSection,
  { records: (b: TheaterBackupBody) => object[]; key: string | null }
> = {
  origin: { records: (b) => [b.origin], key: "issuer" },
  keys: { records: (b) => [b.keys], key: null },
  certificateAuthorities: { records: (b) => b.certificateAuthorities, key: "id" },
  theater: { records: (b) => [b.theater], key: "id" },
  members: { records: (b) => b.members, key: "userId" },
  licenses: { records: (b) => b.licenses, key: "id" },
  orders: { records: (b) => b.orders, key: "id" },
  ticketSales: { records: (b) => b.ticketSales, key: "orderId" },
  refunds: { records: (b) => b.refunds, key: "id" },
  adjustments: { records: (b) => b.adjustments, key: "id" },
  payoutStatements: { records: (b) => b.payoutStatements, key: "id" },
  ledger: { records: (b) => b.ledger, key: "accountId" },
  apiTokens: { records: (b) => b.apiTokens, key: "id" },
  "settings.webhooks": { records: (b) => b.settings.webhooks, key: "id" },
};

/** A section of one record is named without an index (`theater`), a list's record by its place (`orders[1]`). */
export const isSingleRecordSection = (section: TheaterBackupRecordSection) =>
  section === "origin" || section === "keys" || section === "theater";

/** The field that keys a section's records, or null. */
export const recordKeyField = (section: TheaterBackupRecordSection) => SECTIONS[section].key;

/** The records of one section of a body, in its order. */
export function theaterBackupSectionRecords(body: TheaterBackupBody, section: TheaterBackupRecordSection): object[] {
  return SECTIONS[section].records(body);
}

/** The record's key (its key field's value) when it has one that is a string. */
export function theaterBackupRecordKey(section: TheaterBackupRecordSection, record: object): string | null {
  const field = SECTIONS[section].key;
  const value = field === null ? undefined : (record as BackupRecord)[field];
  return typeof value === "string" ? value : null;
}

/** A body's record hashes, each section's in the body's order: what a version 2 backup signs beside its body. */
export function theaterBackupRecordHashes(body: TheaterBackupBody): TheaterBackupRecordHashes {
  return Object.fromEntries(
    (Object.keys(SECTIONS) as TheaterBackupRecordSection[]).map((section) => [
      section,
      theaterBackupSectionRecords(body, section).map((record) => ({
        key: theaterBackupRecordKey(section, record),
        sha256: canonicalSha256(record),
      })),
    ]),
  ) as TheaterBackupRecordHashes;
}
