import { createPrivateKey, generateKeyPairSync } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import {
  SIGNATURE_TYPE,
  ed25519RawPublicKey,
  formatVerifierKey,
  parseVerifierKey,
  type VerifierKey,
} from "../../lib/merkle/signed-note";
import { witnessServer } from "./server";

/**
 * witness: a C2SP tlog-witness that a host runs beside Guildhall. Its own
 * Ed25519 key and its own state, in one folder; nothing of Guildhall but
 * lib/merkle (node:crypto only).
 *
 *   witness init  --dir DIR --name NAME [--log VKEY ...]   make the key (prints the cosigner's vkey)
 *   witness serve --dir DIR [--listen HOST:PORT] [--log VKEY ...]
 *   witness vkey  --dir DIR
 *
 * Exit codes: 0 ok, 1 failure, 2 usage.
 */
const usage = "usage: witness init|serve|vkey --dir DIR [--name NAME] [--log VKEY ...] [--listen HOST:PORT]";

type Config = { name: string; logs: string[] };

const readVkey = (value: string) => (value.includes("+") ? value : readFileSync(value, "utf8")).trim();

function main(): number {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: {
      dir: { type: "string" },
      name: { type: "string" },
      log: { type: "string", multiple: true, default: [] },
      listen: { type: "string", default: "127.0.0.1:7380" },
    },
  });
  const [command] = positionals;
  if (!values.dir || !command) return fail(usage, 2);
  const dir = path.resolve(values.dir);
  const files = {
    key: path.join(dir, "witness-key.pem"),
    config: path.join(dir, "config.json"),
    state: path.join(dir, "state.json"),
    evidence: path.join(dir, "evidence.jsonl"),
  };
  const extraLogs = values.log.map(readVkey);
  for (const vkey of extraLogs) parseVerifierKey(vkey);

  if (command === "init") {
    if (!values.name || /\s|\+/.test(values.name)) return fail("init needs --name (no spaces, no +)", 2);
    if (existsSync(files.key)) return fail(`${files.key} exists: a witness keeps its key`, 1);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const { privateKey } = generateKeyPairSync("ed25519");
    writeFileSync(files.key, privateKey.export({ type: "pkcs8", format: "pem" }), { mode: 0o600 });
    chmodSync(files.key, 0o600);
    writeFileSync(files.config, `${JSON.stringify({ name: values.name, logs: extraLogs }, null, 2)}\n`);
    process.stdout.write(
      `${formatVerifierKey(values.name, SIGNATURE_TYPE.cosignatureV1, ed25519RawPublicKey(privateKey))}\n`,
    );
    return 0;
  }

  const config = JSON.parse(readFileSync(files.config, "utf8")) as Config;
  const privateKey = createPrivateKey(readFileSync(files.key, "utf8"));
  const vkey = formatVerifierKey(config.name, SIGNATURE_TYPE.cosignatureV1, ed25519RawPublicKey(privateKey));
  if (command === "vkey") {
    process.stdout.write(`${vkey}\n`);
    return 0;
  }
  if (command === "serve") {
    const logs = new Map<string, VerifierKey>();
    for (const text of [...config.logs, ...extraLogs]) {
      const key = parseVerifierKey(text);
      if (key.type !== SIGNATURE_TYPE.ed25519) return fail(`log key ${key.name} is not an Ed25519 note key`, 2);
      logs.set(key.name, key);
    }
    if (logs.size === 0) return fail("serve needs at least one log key (--log VKEY, or in config.json)", 2);
    const listen = /^(.+):([0-9]{1,5})$/.exec(values.listen);
    if (!listen) return fail("--listen is HOST:PORT", 2);
    const server = witnessServer({ name: config.name, privateKey, logs }, files);
    server.listen(Number(listen[2]), listen[1], () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : listen[2];
      process.stdout.write(
        `${JSON.stringify({ listening: `http://${listen[1]}:${port}`, vkey, logs: [...logs.keys()] })}\n`,
      );
    });
    const stop = () => server.close(() => process.exit(0));
    process.on("SIGTERM", stop);
    process.on("SIGINT", stop);
    return 0;
  }
  return fail(usage, 2);
}

function fail(message: string, code: number): number {
  process.stderr.write(`witness: ${message}\n`);
  return code;
}

try {
  const code = main();
  if (code !== 0) process.exitCode = code;
} catch (err) {
  process.exitCode = fail(err instanceof Error ? err.message : String(err), 1);
}
