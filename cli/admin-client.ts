import fs from "node:fs";
import path from "node:path";
import readline from "node:readline";
import { Readable } from "node:stream";
import { env } from "@/lib/config/env";
import { embeddedDatabaseHolder } from "@/lib/db/embedded-database-holder";
import { CliError } from "./command";
import type { CliIo } from "./io";
import { readAdminEndpoint, type AdminFrame } from "./admin-endpoint";

/**
 * Runs a command through the portal that has the embedded database open
 * (PGlite serves one process), so `audit verify`, `ledger check` or a backup
 * never need the portal stopped. Returns the command's exit status, or
 * undefined when there is nothing to forward to (DATABASE_URL is set, or no
 * portal has the database) and the CLI opens the database itself (which
 * fails, naming the process, when another one without an admin endpoint has it).
 * Arguments naming files that exist here are sent as absolute paths, since
 * the portal runs in another folder; files a command writes come back here, through `io`.
 */
export async function forwardToRunningPortal(
  argv: string[],
  io: CliIo,
  stderr: (text: string) => void,
): Promise<number | undefined> {
  const { embedded, dataDir } = env();
  if (!embedded) return undefined;
  const holder = embeddedDatabaseHolder(dataDir);
  if (!holder) return undefined;
  // A holder that takes no commands (another CLI run, a portal of an older version): opening the
  // database then fails with the message that names it.
  const endpoint = readAdminEndpoint(dataDir);
  if (!endpoint || endpoint.pid !== holder) return undefined;
  const sent = argv.map((a) => (!a.startsWith("--") && !path.isAbsolute(a) && fs.existsSync(a) ? path.resolve(a) : a));
  const res = await fetch(`http://127.0.0.1:${endpoint.port}/run`, {
    method: "POST",
    headers: { authorization: `Bearer ${endpoint.token}`, "content-type": "application/json" },
    body: JSON.stringify({ argv: sent }),
  });
  if (!res.ok || !res.body)
    throw new CliError(`the running portal refused the command: ${res.status} ${await res.text()}`);
  let exitCode = 1;
  for await (const line of readline.createInterface({
    input: Readable.fromWeb(res.body as import("node:stream/web").ReadableStream),
  })) {
    if (!line) continue;
    const frame = JSON.parse(line) as AdminFrame;
    if ("stdout" in frame) io.stdout(frame.stdout);
    else if ("file" in frame) io.writeFile(frame.file, Buffer.from(frame.base64, "base64"));
    else if ("error" in frame) {
      stderr(`error: ${frame.error}\n`);
      exitCode = frame.exitCode;
    } else exitCode = frame.exitCode;
  }
  return exitCode;
}
