import { readFile } from "node:fs/promises";
import type { JSONWebKeySet } from "jose";
import type { CliCommand } from "../command";
import { CliError, flag, output } from "../command";
import { importTheaterBackup } from "@/lib/portability/import-theater-backup";

/** A file's text, or an http(s) URL's answer: the origin's export keys are published at /.well-known/guildhall/export-keys. */
async function readSource(value: string): Promise<string> {
  try {
    if (/^https?:\/\//.test(value)) {
      const res = await fetch(value);
      if (!res.ok) throw new CliError(`${value}: HTTP ${res.status}`);
      return await res.text();
    }
    return await readFile(value, "utf8");
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
    const keys = parseJson(await readSource(flag(args, "origin-keys", true)), "--origin-keys") as JSONWebKeySet;
    if (!Array.isArray(keys?.keys)) throw new CliError("--origin-keys is not a JWKS ({ keys: [...] })");
    const result = await importTheaterBackup({
      file: parseJson(await readSource(file), "the backup file"),
      trustedExportKeys: keys,
      actor: { type: "system", id: "cli" },
    });
    output(args, result, () => [
      `imported theater ${result.slug} (${result.theaterOrgId}) with ${result.members} member(s); backup digest ${result.digest}`,
    ]);
  },
};

export const portabilityCommands = [theaterImport];
