import "server-only";
import type { AppError } from "@/lib/errors/app-error";
import { refuseImport } from "@/lib/portability/verify-export-signature";
import {
  THEATER_BACKUP_RECORD_SECTIONS,
  type TheaterBackupBody,
  type TheaterBackupRecordHashes,
  type TheaterBackupRecordSection,
} from "@/lib/portability/theater-backup-schema";
import { canonicalSha256 } from "@/lib/portability/canonical-sha256";
import {
  isSingleRecordSection,
  recordKeyField,
  theaterBackupRecordHashes,
} from "@/lib/portability/theater-backup-record-hashes";

// A refusal names this many places, then counts the rest: enough to find them, short enough to read.
const NAMED_AT_MOST = 3;

type Entry = TheaterBackupRecordHashes[TheaterBackupRecordSection][number];

/**
 * The refusal of a version 2 backup whose body or record-hash list is not what its signature covers (the
 * signature itself verified, so the digests it holds are the origin's). Whichever of the two still has its
 * signed digest vouches for the other, entry by entry:
 * - the list intact, the body changed: each record whose hash is not the list's for its place is named
 *   (`backup.ticketSales[0] (orderId ord_…): its bytes differ from the backup's record hash`), as are records
 *   moved, added or missing; a body whose records all match differs in what is outside them, its `$schema`;
 * - the body intact, the list changed: each entry that is not its record's hash is named as the list's;
 * - both changed: nothing vouches for either, and the file is named.
 */
export function nameChangedBackupRecords(input: {
  backup: TheaterBackupBody;
  recordHashes: TheaterBackupRecordHashes;
  signed: { digest: string; recordHashes: string };
}): AppError {
  const bodyIntact = canonicalSha256(input.backup) === input.signed.digest;
  const listIntact = canonicalSha256(input.recordHashes) === input.signed.recordHashes;
  const tampered = (places: string[]) =>
    refuseImport(
      places.length > NAMED_AT_MOST
        ? `${places.slice(0, NAMED_AT_MOST).join("; ")}; and ${places.length - NAMED_AT_MOST} more`
        : places.join("; "),
      "the file was changed",
      "BACKUP_TAMPERED",
    );
  if (!bodyIntact && !listIntact)
    return tampered(["backup and recordHashes: both differ from what the signature covers"]);
  const computed = theaterBackupRecordHashes(input.backup);
  if (listIntact) {
    const places = THEATER_BACKUP_RECORD_SECTIONS.flatMap((s) => changedRecords(s, computed[s], input.recordHashes[s]));
    return tampered(places.length > 0 ? places : ["backup.$schema: it differs from what the signature covers"]);
  }
  const places = THEATER_BACKUP_RECORD_SECTIONS.flatMap((s) => changedEntries(s, computed[s], input.recordHashes[s]));
  return tampered(places.length > 0 ? places : ["recordHashes: its content differs from what the signature covers"]);
}

const label = (section: TheaterBackupRecordSection, key: string | null) => {
  const field = recordKeyField(section);
  return field !== null && key !== null ? ` (${field} ${key})` : "";
};
const place = (section: TheaterBackupRecordSection, i: number) =>
  isSingleRecordSection(section) ? section : `${section}[${i}]`;

/** The body's records that are not the vouched list's, place by place. */
function changedRecords(section: TheaterBackupRecordSection, body: Entry[], listed: Entry[]): string[] {
  const places: string[] = [];
  // Where the backup holds a record of each hash (the first place): a lookup, so a list moved whole stays linear.
  const placeOf = new Map<string, number>();
  listed.forEach((e, i) => {
    if (!placeOf.has(e.sha256)) placeOf.set(e.sha256, i);
  });
  for (let i = 0; i < Math.max(body.length, listed.length); i++) {
    const [record, signed] = [body[i], listed[i]];
    if (record && signed && record.sha256 === signed.sha256) continue;
    if (!record) {
      places.push(
        `backup.${section}: the backup's record ${place(section, i)}${label(section, signed.key)} is missing`,
      );
      continue;
    }
    const name = `backup.${place(section, i)}${label(section, record.key)}`;
    const elsewhere = placeOf.get(record.sha256);
    if (elsewhere !== undefined) places.push(`${name}: it is the backup's ${place(section, elsewhere)}, out of place`);
    else if (!signed)
      places.push(`${name}: it is not in the backup, whose ${section} holds ${listed.length}: it was added`);
    else {
      // A changed key is named both ways: as the file has it, and as the backup had it.
      const was = signed.key !== record.key && signed.key !== null ? `; the backup's is ${signed.key}` : "";
      places.push(`${name}: its bytes differ from the backup's record hash${was}`);
    }
  }
  return places;
}

/** The list's entries that are not the hash of the vouched body's record at their place. */
function changedEntries(section: TheaterBackupRecordSection, body: Entry[], listed: Entry[]): string[] {
  if (listed.length !== body.length)
    return [`recordHashes.${section}: it lists ${listed.length} records, the signed backup holds ${body.length}`];
  return listed.flatMap((entry, i) =>
    entry.sha256 === body[i].sha256 && entry.key === body[i].key
      ? []
      : [
          `recordHashes.${section}[${i}]${label(section, body[i].key)}: it is not the backup's record hash, which the signature covers`,
        ],
  );
}
