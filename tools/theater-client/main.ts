import { parseArgs } from "node:util";
import path from "node:path";
import { connect, exportBackup, fetchBundle, keygen, request, verify } from "./commands";
import { readConfig } from "./client-files";
import { runMonitor } from "../log-verify/run-monitor";

/**
 * guildhall-theater: the management client of a theater.
 *
 *   guildhall-theater keygen  --dir DIR [--alg p256|ed25519]
 *   guildhall-theater request --dir DIR --url https://guildhall.example --license lic_...   (token in GUILDHALL_TOKEN)
 *   guildhall-theater fetch   --dir DIR                                                     (token in GUILDHALL_TOKEN)
 *   guildhall-theater verify  --dir DIR [--root ROOT.pem] [--jwks JWKS.json] [--crl CRL.der]
 *   guildhall-theater connect --dir DIR --host https://host.example:8443 [--host-ca HOST.pem]
 *   guildhall-theater monitor --dir DIR [--url URL] [--license lic_...] [--key VKEY] [--follow SECONDS] [--json]
 *                     (follows Guildhall's public log, reports every entry about the license)
 *   guildhall-theater export  --theater org_... --out FILE [--url URL | --dir DIR]          (token in GUILDHALL_TOKEN)
 *
 * The token is a theater API token made by the theater's admin on the
 * portal's Licensing page; Guildhall keeps only its hash. Pass it in the
 * environment (GUILDHALL_TOKEN), not on the command line, so it stays out of
 * shell history and process lists. Exit codes: 0 ok, 1 refused or invalid
 * (the code is printed), 2 usage.
 */
const usage =
  "usage: guildhall-theater keygen|request|fetch|verify|connect|monitor|export --dir DIR [...] (see tools/theater-client/README.md)";

async function main(): Promise<number> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: {
      dir: { type: "string", default: "." },
      alg: { type: "string", default: "p256" },
      url: { type: "string" },
      license: { type: "string" },
      root: { type: "string" },
      jwks: { type: "string" },
      crl: { type: "string" },
      host: { type: "string" },
      "host-ca": { type: "string" },
      key: { type: "string" },
      follow: { type: "string" },
      json: { type: "boolean", default: false },
      theater: { type: "string" },
      out: { type: "string" },
    },
  });
  const token = () => {
    const t = process.env.GUILDHALL_TOKEN;
    if (!t) throw new Error("set GUILDHALL_TOKEN to a theater API token");
    return t;
  };
  const print = (v: unknown) => console.log(JSON.stringify(v, null, 2));
  switch (positionals[0]) {
    case "keygen":
      print(await keygen(values.dir, values.alg));
      return 0;
    case "request":
      if (!values.url || !values.license) break;
      print(await request(values.dir, values.url, values.license, token()));
      return 0;
    case "fetch":
      print(await fetchBundle(values.dir, token()));
      return 0;
    case "verify": {
      const verdict = await verify(values.dir, { rootPath: values.root, jwksPath: values.jwks, crlPath: values.crl });
      print({ valid: verdict.valid, code: verdict.code, detail: verdict.detail });
      return verdict.valid ? 0 : 1;
    }
    case "export":
      if (!values.theater || !values.out) break;
      print(
        await exportBackup({ dir: values.dir, url: values.url, theaterId: values.theater, out: values.out }, token()),
      );
      return 0;
    case "connect": {
      if (!values.host) break;
      const res = await connect(values.dir, values.host, values["host-ca"]);
      print(res);
      return res.status === 200 ? 0 : 1;
    }
    case "monitor": {
      const config = readConfig(values.dir);
      const url = values.url ?? config.url;
      const licenseId = values.license ?? config.licenseId;
      if (!url || !licenseId) break;
      const follow = values.follow === undefined ? undefined : Number(values.follow);
      if (follow !== undefined && !(follow >= 1)) break;
      return runMonitor({
        log: `${url.replace(/\/+$/, "")}/log`,
        key: values.key,
        stateFile: path.join(values.dir, "log-monitor.json"),
        subjects: [`license:${licenseId}`],
        followSeconds: follow,
        json: values.json,
        write: (line) => console.log(line),
        warn: (line) => console.error(line),
      });
    }
  }
  console.error(usage);
  return 2;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(`error: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  },
);
