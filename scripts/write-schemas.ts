import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { publishedJsonSchema, publishedSchemas } from "@/app/schemas/registry";

/**
 * `npm run schemas:write`: writes every published JSON Schema (served at
 * /schemas/NAME) to docs/schemas/NAME, so the documentation carries the same
 * document; a unit test fails when the two differ.
 */
for (const name of Object.keys(publishedSchemas)) {
  const file = path.join("docs", "schemas", name);
  fs.writeFileSync(file, `${JSON.stringify(publishedJsonSchema(name), null, 2)}\n`);
  console.log(`wrote ${file}`);
}
// In the repository's formatting, so `biome check` passes on what was written.
execFileSync(process.execPath, ["node_modules/@biomejs/biome/bin/biome", "format", "--write", "docs/schemas"], {
  stdio: "inherit",
});
