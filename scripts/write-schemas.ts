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
