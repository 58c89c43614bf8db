import { cliActor } from "@/lib/access/actor";
import type { JSONWebKeySet } from "jose";
import type { CliCommand } from "../command";
import { CliError, flag, output } from "../command";
import { inputFileBytes, readInputText } from "../read-input-file";
import { importTheaterBackup } from "@/lib/portability/import-theater-backup";
import { parseTheaterBackupText } from "@/lib/portability/parse-theater-backup-text";
import { exportOrgArchive } from "@/lib/portability/export-org-archive";
import { importOrgArchive } from "@/lib/portability/import-org-archive";

/**
 * A file's text (a regular file of UTF-8 within `maxBytes`, readInputText), or an http(s) URL's answer: the
 * origin's export keys are published at /.well-known/guildhall/export-keys.
 */
async function readSource(value: string, what: string, maxBytes: number = inputFileBytes.document): Promise<string> {
  if (!/^https?:\/\//.test(value)) return readInputText(value, what, maxBytes);
  try {
    const res = await fetch(value);
    if (!res.ok) throw new CliError(`${value}: HTTP ${res.status}`);
    return await res.text();
  } catch (e) {
    if (e instanceof CliError) throw e;
    throw new CliError(
      `cannot read ${JSON.stringify(value.slice(0, 200))}: ${e instanceof Error ? e.message.split("\n")[0].slice(0, 200) : "unreadable"}`,
    );
  }
}

function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new CliError(`${what} is not JSON`);
  }
}

export const theaterImport: CliCommand = {
  name: "theater import",
  summary: "import a theater from another Guildhall's signed backup, checking every signature first; all or nothing",
  usage: "theater import FILE --origin-keys FILE|URL [--json]",
  async run(args) {
    const file = args.positionals[0];
    if (!file) throw new CliError("give the backup FILE");
    const keys = await readTrustedKeys(flag(args, "origin-keys", true));
    const result = await importTheaterBackup({
      file: parseTheaterBackupText(await readSource(file, "theater backup", inputFileBytes.backup), file),
      trustedExportKeys: keys,
      actor: cliActor,
    });
    output(args, result, () => [
      `imported theater ${result.slug} (${result.theaterOrgId}) with ${result.members} member(s); backup digest ${result.digest}`,
    ]);
  },
};

async function readTrustedKeys(source: string): Promise<JSONWebKeySet> {
  const keys = parseJson(
    await readSource(source, "JWKS of the origin's export keys"),
    "--origin-keys",
  ) as JSONWebKeySet;
  if (!Array.isArray(keys?.keys)) throw new CliError("--origin-keys is not a JWKS ({ keys: [...] })");
  return keys;
}

export const orgExport: CliCommand = {
  name: "org export",
  summary: "write the whole org to DIR as a signed archive (NDJSON per table, a signed manifest) to run a fork",
  usage: "org export DIR [--json]",
  async run(args) {
    const dir = args.positionals[0];
    if (!dir) throw new CliError("give the archive's DIR (new or empty)");
    const result = await exportOrgArchive({ dir, actor: cliActor });
    output(args, result, () => [
      `exported ${result.records} records in ${result.files} files to ${result.dir}; log size ${result.logSize}; manifest digest ${result.digest}`,
    ]);
  },
};

export const orgImport: CliCommand = {
  name: "org import",
  summary:
    "make this empty Guildhall a fork of an org archive: verifies all of it first, then writes all of it or nothing",
  usage: "org import DIR --origin-keys FILE|URL [--json]",
  async run(args) {
    const dir = args.positionals[0];
    if (!dir) throw new CliError("give the archive's DIR");
    const trustedExportKeys = await readTrustedKeys(flag(args, "origin-keys", true));
    const result = await importOrgArchive({ dir, trustedExportKeys, actor: cliActor });
    output(args, result, () => [
      `forked from ${result.origin}: ${result.records} records imported; the origin's log of ${result.originLogSize} entries continues here, now ${result.forkLogSize} entries; manifest digest ${result.digest}`,
      "Made anew here, not imported: sessions and sign-in codes (members sign in by email code), client secrets, payee accounts, webhook receivers' checks, this Guildhall's CA (`ca init`).",
    ]);
  },
};

export const portabilityCommands = [theaterImport, orgExport, orgImport];
