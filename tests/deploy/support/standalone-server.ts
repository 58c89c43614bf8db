import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { defined } from "../../support/defined";

/**
 * Starts the assembled standalone server (scripts/assemble-standalone.mjs) the
 * way the container does: the Dockerfile's own CMD, read from the Dockerfile,
 * in the folder the image copies to /app. Tests of the deployment share it.
 */
export const root = path.resolve(import.meta.dirname, "../../..");
export const standaloneDir = path.join(root, ".next/standalone");

/** The exec-form arguments of the last `<keyword> [...]` line of the Dockerfile's final stage. */
export function dockerfileExec(keyword: "CMD" | "HEALTHCHECK"): string[] {
  const text = fs.readFileSync(path.join(root, "Dockerfile"), "utf8").replace(/\\\n\s*/g, " ");
  const lines = text.split("\n").filter((l) => l.startsWith(`${keyword} `));
  const last = lines.at(-1);
  if (!last) throw new Error(`no ${keyword} in the Dockerfile`);
  // A HEALTHCHECK line holds its options, then `CMD [...]`: the exec form follows the first CMD.
  return JSON.parse(last.slice(last.indexOf("[", last.indexOf("CMD")))) as string[];
}

export const testSecrets = {
  AUTH_SECRET: "deploy-test-auth-secret-0123456789abcdef012345",
  MASTER_KEY: Buffer.alloc(32, 11).toString("base64"),
};

export type StartedServer = {
  child: ChildProcess;
  port: number;
  url: string;
  output: () => string;
  exited: Promise<number | null>;
};

/** Starts `node server.js` from the standalone folder with production settings plus `env`. */
export function startStandalone(port: number, env: Record<string, string>): StartedServer {
  if (!fs.existsSync(path.join(standaloneDir, "server.js"))) {
    throw new Error(
      "No .next/standalone/server.js: run `node node_modules/next/dist/bin/next build && node scripts/assemble-standalone.mjs` first",
    );
  }
  const [command, ...args] = dockerfileExec("CMD");
  let output = "";
  const child = spawn(command === "node" ? process.execPath : command, args, {
    cwd: standaloneDir,
    env: {
      PATH: process.env.PATH ?? "",
      NODE_ENV: "production",
      NEXT_TELEMETRY_DISABLED: "1",
      HOSTNAME: "127.0.0.1",
      PORT: String(port),
      PUBLIC_URL: `http://localhost:${port}`,
      PAYMENTS_PROVIDER: "simulated",
      SEED_DEMO: "0",
      LOG_LEVEL: "info",
      ...testSecrets,
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  defined(child.stdout).on("data", (d: Buffer) => (output += d.toString()));
  defined(child.stderr).on("data", (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return { child, port, url: `http://127.0.0.1:${port}`, output: () => output, exited };
}

/** Polls `url` until it answers `status` (any answer counts when status is omitted), or fails after `timeoutMs`. */
export async function waitForStatus(
  url: string,
  status: number | undefined,
  timeoutMs = 90_000,
  server?: StartedServer,
): Promise<Response> {
  const until = Date.now() + timeoutMs;
  let last = "no answer";
  while (Date.now() < until) {
    if (server && (server.child.exitCode !== null || server.child.signalCode !== null))
      throw new Error(`server exited (${server.child.exitCode}):\n${server.output()}`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(5000) });
      if (status === undefined || res.status === status) return res;
      last = `${res.status} ${await res.text()}`;
    } catch (e) {
      last = String(e);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(
    `${url} did not answer ${status ?? "at all"} in ${timeoutMs} ms (last: ${last})${server ? `\n${server.output()}` : ""}`,
  );
}

export async function stopServer(server: StartedServer | undefined): Promise<void> {
  if (!server || server.child.exitCode !== null || server.child.signalCode !== null) return;
  server.child.kill("SIGKILL");
  await server.exited;
}
