import "server-only";
import fs from "node:fs";
import path from "node:path";
import { z } from "zod";
import { dataDirOf, type Env } from "@/lib/config/env";

/**
 * The public URL (and log name) a portal was started with, kept in its DATA_DIR. The operator CLI on the same
 * data directory reads it when it is given neither PUBLIC_URL nor PORT: otherwise it would take the default,
 * http://localhost:3000, and look for the log's checkpoints, ballots' relying party and issuer under names the
 * portal never used (a portal started with PORT=4000 signs its checkpoints as localhost:4000/log).
 */
const FILE = "portal-origin.json";
const recordSchema = z.object({ publicUrl: z.url(), logOrigin: z.string().min(1).nullable() });

/** Written by the portal at start; a data directory it cannot write to only costs the CLI this convenience. */
export function recordPortalOrigin(e: Pick<Env, "dataDir" | "publicUrl" | "logOrigin">): void {
  const record = { publicUrl: e.publicUrl, logOrigin: e.logOrigin ?? null };
  fs.mkdirSync(e.dataDir, { recursive: true });
  fs.writeFileSync(path.join(e.dataDir, FILE), `${JSON.stringify(record)}\n`);
}

/**
 * For the CLI, before anything reads the environment: when `source` gives neither PUBLIC_URL nor PORT, takes
 * the public URL (and LOG_ORIGIN, when the portal was given one and `source` is not) that the portal recorded in
 * DATA_DIR. Answers what it took, or null when it took nothing (set explicitly, or no portal recorded one).
 */
export function adoptRecordedPortalOrigin(source: Record<string, string | undefined>): { publicUrl: string } | null {
  if (source.PUBLIC_URL || source.PORT) return null;
  let raw: string;
  try {
    raw = fs.readFileSync(path.join(dataDirOf(source), FILE), "utf8");
  } catch {
    return null;
  }
  let parsed: ReturnType<typeof recordSchema.safeParse>;
  try {
    parsed = recordSchema.safeParse(JSON.parse(raw));
  } catch {
    return null;
  }
  if (!parsed.success) return null;
  source.PUBLIC_URL = parsed.data.publicUrl;
  if (parsed.data.logOrigin && !source.LOG_ORIGIN) source.LOG_ORIGIN = parsed.data.logOrigin;
  return { publicUrl: parsed.data.publicUrl };
}
