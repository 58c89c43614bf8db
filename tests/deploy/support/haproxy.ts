import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import net from "node:net";
import path from "node:path";
import { root } from "./standalone-server";
import { defined } from "../../support/defined";

/**
 * Debian's HAProxy (2.6), started by the tests with the repository's own
 * configuration (deploy/haproxy/haproxy.cfg): only the listening address and
 * the servers are replaced, and each answer names the instance that served
 * it (X-Guildhall-Instance) so a test can see the balancer alternate.
 */
export function ensureDebianPackages(packages: string[], commands: string[]): void {
  if (commands.every((c) => spawnSync("sh", ["-c", `command -v ${c}`]).status === 0)) return;
  if (process.getuid?.() === 0 && spawnSync("sh", ["-c", "command -v apt-get"]).status === 0) {
    const install = spawnSync(
      "sh",
      ["-c", `apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ${packages.join(" ")}`],
      { stdio: "inherit" },
    );
    if (install.status === 0) return;
  }
  throw new Error(
    `These tests need ${packages.join(", ")} from Debian's packages. Run: sudo apt-get install -y ${packages.join(" ")}`,
  );
}

export type Balancer = { child: ChildProcess; port: number; url: string; stop: () => Promise<void> };

export function haproxyConfig(opts: { port: number; servers: { name: string; port: number }[] }): string {
  const base = fs.readFileSync(path.join(root, "deploy/haproxy/haproxy.cfg"), "utf8");
  const servers = opts.servers.map((s) => `    server ${s.name} 127.0.0.1:${s.port} check`).join("\n");
  return base
    .replace(/^ {4}bind :8080$/m, `    bind 127.0.0.1:${opts.port}`)
    .replace(/^( {4}server portal\d .*\n?)+/m, `${servers}\n    http-response set-header X-Guildhall-Instance %s\n`);
}

/** Starts HAProxy with `config` and waits until it accepts connections on `port` (an HTTP request in http mode). */
export async function startBalancer(config: string, port: number, mode: "http" | "tcp" = "http"): Promise<Balancer> {
  ensureDebianPackages(["haproxy"], ["haproxy"]);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gh-haproxy-"));
  const file = path.join(dir, "haproxy.cfg");
  fs.writeFileSync(file, config);
  const child = spawn("haproxy", ["-db", "-f", file], { stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  defined(child.stderr).on("data", (d: Buffer) => (stderr += d.toString()));
  const until = Date.now() + 10_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`haproxy exited: ${stderr}`);
    try {
      if (mode === "http") await fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(1000) });
      else await connectOnce(port);
      break;
    } catch {
      if (Date.now() > until) throw new Error(`haproxy did not listen on ${port}: ${stderr}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return {
    child,
    port,
    url: `http://localhost:${port}`,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((r) => child.once("exit", r));
        child.kill("SIGKILL");
        await exited;
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

function connectOnce(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, "127.0.0.1", () => {
      socket.destroy();
      resolve();
    });
    socket.once("error", reject);
  });
}
