#!/usr/bin/env node
// `npm run witnesses [-- --count 3 --base-port 7381]`: starts witnesses (tools/witness) on loopback for the
// portal's log, each with its own folder under DATA_DIR/witnesses/ (kept, so they keep their keys and state), and
// declares them as the witnesses of as many admitted hosts (`log witness demo`: development only). Runs until
// Ctrl-C. On the embedded database, run it while `npm start` runs: the CLI reaches the database through the portal.
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";

const root = path.resolve(import.meta.dirname, "..");
process.chdir(root);
const { values } = parseArgs({
  options: { count: { type: "string", default: "3" }, "base-port": { type: "string", default: "7381" } },
});
const count = Number(values.count);
const basePort = Number(values["base-port"]);
if (!Number.isInteger(count) || count < 1 || count > 9 || !Number.isInteger(basePort)) {
  console.error("usage: npm run witnesses -- [--count 1..9] [--base-port PORT]");
  process.exit(2);
}
const dataDir = path.resolve(process.env.DATA_DIR ?? ".data");
const tsx = path.join(root, "node_modules/tsx/dist/cli.mjs");
const tryCli = (...args) =>
  spawnSync(process.execPath, [tsx, "--conditions=react-server", "cli/main.ts", ...args], { encoding: "utf8" });
const cli = (...args) => {
  const r = tryCli(...args);
  if (r.status !== 0) {
    console.error(`npm run cli -- ${args.join(" ")} failed (${r.status}): ${r.stderr}`);
    process.exit(1);
  }
  return r.stdout.trim();
};
const witness = (...args) => [path.join(root, "tools/witness/bin.mjs"), ...args];

// The log's key: made with its first checkpoint, which the portal signs within a second of starting.
let logKey = "";
for (let tries = 0; !logKey; tries++) {
  const r = tryCli("log", "key");
  if (r.status === 0) logKey = r.stdout.trim();
  else if (tries >= 30) {
    console.error(`the log has no key yet (is the portal running?): ${r.stderr}`);
    process.exit(1);
  } else await new Promise((resolve) => setTimeout(resolve, 1000));
}

const children = [];
const started = [];
for (let i = 1; i <= count; i++) {
  const dir = path.join(dataDir, "witnesses", `w${i}`);
  if (!fs.existsSync(path.join(dir, "witness-key.pem"))) {
    const init = spawnSync(process.execPath, witness("init", "--dir", dir, "--name", `localhost-witness-${i}/w`), {
      encoding: "utf8",
    });
    if (init.status !== 0) throw new Error(init.stderr);
  }
  const child = spawn(
    process.execPath,
    witness("serve", "--dir", dir, "--listen", `127.0.0.1:${basePort + i - 1}`, "--log", logKey),
    { stdio: ["ignore", "pipe", "inherit"] },
  );
  children.push(child);
  const line = await new Promise((resolve, reject) => {
    child.stdout.once("data", (chunk) => resolve(String(chunk)));
    child.once("exit", (code) => reject(new Error(`witness ${i} exited (${code})`)));
  });
  started.push(JSON.parse(line));
}
const stopAll = () => {
  for (const child of children) child.kill("SIGTERM");
};
process.on("SIGINT", stopAll);
process.on("SIGTERM", stopAll);

console.log(
  cli(
    "log",
    "witness",
    "demo",
    "--vkeys",
    started.map((s) => s.vkey).join(","),
    "--urls",
    started.map((s) => s.listening).join(","),
  ),
);
for (const s of started) console.log(`witness ${s.listening}  ${s.vkey}`);
console.log(`log key ${logKey}\n${count} witness(es) running; Ctrl-C stops them.`);
await Promise.all(children.map((c) => new Promise((resolve) => c.once("exit", resolve))));
