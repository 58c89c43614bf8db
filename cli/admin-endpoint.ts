import fs from "node:fs";
import path from "node:path";

/**
 * Where a portal on the embedded database takes CLI commands: a loopback
 * port and a random token, written to DATA_DIR/admin.json readable by its
 * owner only. Whoever can read it could open the database files anyway.
 */
export type AdminEndpoint = { pid: number; port: number; token: string };

export function adminEndpointFile(dataDir: string): string {
  return path.join(dataDir, "admin.json");
}

export function readAdminEndpoint(dataDir: string): AdminEndpoint | undefined {
  try {
    return JSON.parse(fs.readFileSync(adminEndpointFile(dataDir), "utf8")) as AdminEndpoint;
  } catch {
    return undefined;
  }
}

/** One line of the answer to a forwarded command (newline-delimited JSON). */
export type AdminFrame =
  | { stdout: string }
  | { file: string; base64: string }
  | { error: string; exitCode: number }
  | { exitCode: number };
