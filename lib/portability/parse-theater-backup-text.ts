import "server-only";
import { refuseImport } from "@/lib/portability/verify-export-signature";

/**
 * A theater backup file's text as JSON, for importTheaterBackup to check. A file that is not JSON (most often a
 * copy cut short) is refused here, naming the file, before anything reads or writes the database.
 */
export function parseTheaterBackupText(text: string, fileName: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw refuseImport(fileName, "it is not JSON (cut short, or not a backup)", "BACKUP_NOT_A_BACKUP");
  }
}
