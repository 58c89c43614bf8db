import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
// A dependency of @prisma/adapter-pg; the engine needs adapters wrapped by it (see below).
import { bindMigrationAwareSqlAdapterFactory } from "@prisma/driver-adapter-utils";
import * as engineBindings from "@prisma/schema-engine-wasm/schema_engine_bg";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { applyMigrations, pgliteRunner } from "../lib/db/apply-migrations";

/**
 * Prisma's schema engine, compiled to WebAssembly, running over an in-memory
 * PGlite: the offline stand-in for `prisma migrate diff`, whose native engine
 * cannot be downloaded here.
 */

export const schemaPath = path.join(process.cwd(), "prisma/schema.prisma");
export const migrationsDir = path.join(process.cwd(), "prisma/migrations");

let loaded: Promise<void> | undefined;

/**
 * Empties a PGlite's database for the next use: every table, type, function and trigger the migrations make
 * lives in the public schema (none makes an extension, role or other schema), so dropping and recreating that
 * schema leaves what a new cluster holds. A new PGlite runs initdb in WebAssembly, several seconds of CPU on a
 * busy 2-core machine, and even a start from a copy of a fresh cluster costs seconds; this costs milliseconds,
 * so the migration tests share one database.
 */
export async function emptyPGlite(db: PGlite): Promise<void> {
  await db.exec("DROP SCHEMA public CASCADE; CREATE SCHEMA public;");
}

// The package's entry point does `import "./schema_engine_bg.wasm"`, which Node 20
// cannot load without --experimental-wasm-modules, so instantiate it by hand.
function loadWasm(): Promise<void> {
  loaded ??= (async () => {
    const require = createRequire(import.meta.url);
    const dir = path.dirname(require.resolve("@prisma/schema-engine-wasm"));
    const bytes = fs.readFileSync(path.join(dir, "schema_engine_bg.wasm"));
    const imports = { "./schema_engine_bg.js": engineBindings as unknown as WebAssembly.ModuleImports };
    const { instance } = await WebAssembly.instantiate(bytes, imports);
    const bg = engineBindings as unknown as { __wbg_set_wasm(exports: WebAssembly.Exports): void };
    bg.__wbg_set_wasm(instance.exports);
    (instance.exports.__wbindgen_start as () => void)();
  })();
  return loaded;
}

/**
 * The SQL that takes a database built from the committed migrations to
 * prisma/schema.prisma, or "" when they agree. Built in a new in-memory PGlite, or in `into`
 * (emptied first, and left open: the tests reuse one).
 */
export async function diffMigrationsToSchema(
  schema = fs.readFileSync(schemaPath, "utf8"),
  dir = migrationsDir,
  into?: PGlite,
): Promise<string> {
  await loadWasm();
  const db = into ?? new PGlite();
  if (into) await emptyPGlite(into);
  try {
    // Replayed with our own runner rather than the engine's `migrations` diff
    // target: that one replays into a shadow PGlite whose adapter (0.7.2) does not
    // await the script, so a broken migration is silently skipped.
    await applyMigrations(pgliteRunner(db), dir);
    // The engine calls adapter methods unbound and expects { ok, value } results:
    // the wrapping Prisma's CLI applies.
    const adapter = bindMigrationAwareSqlAdapterFactory(new PrismaPGlite(db));
    const files = [{ path: "schema.prisma", content: schema }];
    const engine = await engineBindings.SchemaEngine.new(
      { datamodels: [["schema.prisma", schema]] },
      () => {},
      adapter,
    );
    try {
      const result = await engine.diff({
        // The live database, through the adapter (the `url` target is refused by the wasm engine).
        from: { tag: "schemaDatasource", files, configDir: process.cwd() },
        to: { tag: "schemaDatamodel", files },
        script: true,
        // exitCode is the only reliable "no difference" signal: an empty diff still
        // comes back as the text "-- This is an empty migration.".
        exitCode: true,
        filters: { externalTables: [], externalEnums: [] },
      });
      if (result.exitCode === 0) return "";
      if (result.exitCode === 2 && result.stdout?.trim()) return result.stdout;
      throw new Error(`schema engine diff: unexpected result ${JSON.stringify(result)}`);
    } finally {
      engine.free();
    }
  } finally {
    if (!into) await db.close();
  }
}
