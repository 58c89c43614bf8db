import crypto from "node:crypto";
import { EventEmitter } from "node:events";
import fs from "node:fs";
import http from "node:http";
import { constantTimeEqual } from "@/lib/crypto/hash";
import { log } from "@/lib/log";
import { CliError } from "./command";
import { runWithCliIo, type CliIo } from "./io";
import { describeCliError, findCommand, parseArgs } from "./run-command";
import { adminEndpointFile, type AdminFrame } from "./admin-endpoint";

const MAX_BODY_BYTES = 64 * 1024;

/** Runs one command in this process, its output sent back frame by frame. */
async function runForwarded(argv: string[], send: (frame: AdminFrame) => void): Promise<void> {
  const io: CliIo = {
    stdout: (text) => send({ stdout: text }),
    writeFile: (file, data) => send({ file, base64: Buffer.from(data).toString("base64") }),
    exitCode: 0,
  };
  try {
    const { command, rest } = findCommand(parseArgs(argv));
    if (command.name === "db restore")
      throw new CliError("db restore replaces the database this portal has open: stop the portal first.");
    await runWithCliIo(io, () => command.run(rest));
    send({ exitCode: io.exitCode });
  } catch (e) {
    const { message, exitCode } = describeCliError(e);
    send({ error: message, exitCode });
  }
}

/**
 * While the portal runs on the embedded database, which one process can
 * open, it takes the operator CLI's commands on a loopback port
 * (cli/admin-client.ts is the other side): POST /run with the token from
 * DATA_DIR/admin.json and `{ argv }`. The commands run here, on this
 * process's database connection, exactly as the CLI would run them.
 */
export function startAdminServer(dataDir: string): http.Server {
  const token = crypto.randomBytes(32).toString("base64url");
  const server = http.createServer((req, res) => {
    const authorized = constantTimeEqual(req.headers.authorization ?? "", `Bearer ${token}`);
    if (req.method !== "POST" || req.url !== "/run" || !authorized) {
      res
        .writeHead(authorized ? 404 : 401, { "content-type": "text/plain" })
        .end(authorized ? "not found\n" : "unauthorized\n");
      return;
    }
    let body = "";
    req.on("data", (chunk: Buffer) => {
      body += chunk.toString("utf8");
      if (body.length > MAX_BODY_BYTES) req.destroy();
    });
    req.on("end", () => {
      let argv: string[];
      try {
        argv = (JSON.parse(body) as { argv: unknown }).argv as string[];
        if (!Array.isArray(argv) || !argv.every((a) => typeof a === "string")) throw new Error("argv");
      } catch {
        res.writeHead(400, { "content-type": "text/plain" }).end('expected {"argv": [strings]}\n');
        return;
      }
      log.info(
        {
          command: argv
            .filter((a) => !a.startsWith("--"))
            .slice(0, 2)
            .join(" "),
        },
        "CLI command from this machine",
      );
      res.writeHead(200, { "content-type": "application/x-ndjson", "cache-control": "no-store" });
      void runForwarded(argv, (frame) => res.write(`${JSON.stringify(frame)}\n`)).finally(() => res.end());
    });
  });
  // Its own emit, past the patches on http.Server.prototype (peer address, fast lane, metrics).
  server.emit = EventEmitter.prototype.emit;
  server.listen(0, "127.0.0.1", () => {
    const address = server.address();
    const port = typeof address === "object" && address ? address.port : 0;
    fs.writeFileSync(adminEndpointFile(dataDir), JSON.stringify({ pid: process.pid, port, token }), { mode: 0o600 });
    log.info({ port }, "CLI commands taken on loopback (embedded database)");
  });
  server.unref();
  process.once("exit", () => fs.rmSync(adminEndpointFile(dataDir), { force: true }));
  return server;
}
