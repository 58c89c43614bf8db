import "server-only";
import fs from "node:fs";
import path from "node:path";

/** The process, other than this one, that has the embedded database in `dir` open, if one is alive. */
export function embeddedDatabaseHolder(dir: string): number | undefined {
  const lockFile = path.join(dir, "guildhall.pid");
  if (!fs.existsSync(lockFile)) return undefined;
  const pid = Number(fs.readFileSync(lockFile, "utf8"));
  if (!pid || pid === process.pid) return undefined;
  try {
    process.kill(pid, 0);
    return pid;
  } catch {
    return undefined;
  }
}
