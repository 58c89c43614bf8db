import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

/**
 * Google's own description of the Play Developer API's resources, as @googleapis/androidpublisher ships it:
 * build/v3.d.ts is generated from Google's discovery document, one `Schema$Name` interface per resource with
 * its fields typed as `string | null`, `number | null`, `boolean | null`, another `Schema$…` or an array of
 * those. The Play double checks every purchase, subscription and order it answers against it, so a test
 * cannot hand the portal a field Google's resources do not have, a value of another type, or a nested object
 * of another shape (the enumerations' values are not in the declarations; the double names the ones it
 * acts on itself).
 */
type Field = { type: string; array: boolean };

let schemas: Map<string, Map<string, Field>> | undefined;

function parse(): Map<string, Map<string, Field>> {
  const dir = path.dirname(createRequire(import.meta.url).resolve("@googleapis/androidpublisher/package.json"));
  const text = fs.readFileSync(path.join(dir, "build", "v3.d.ts"), "utf8");
  const out = new Map<string, Map<string, Field>>();
  let current: Map<string, Field> | null = null;
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    const start = line.match(/^export interface (Schema\$\w+) \{$/);
    if (start) {
      current = new Map();
      out.set(start[1], current);
      continue;
    }
    if (!current) continue;
    if (line === "}") {
      current = null;
      continue;
    }
    const field = line.match(/^(\w+)\?: (.+);$/);
    if (!field) continue;
    const type = field[2].replace(/ \| null$/, "");
    const array = type.endsWith("[]") || /^\w+\[\] \| null$/.test(field[2]);
    current.set(field[1], { type: type.replace(/\[\]$/, ""), array });
  }
  return out;
}

/** The ways `value` differs from Google's `Schema$<name>` (empty when it has Google's shape). */
export function shapeErrors(name: string, value: unknown, at = name): string[] {
  schemas ??= parse();
  const schema = schemas.get(`Schema$${name}`);
  if (!schema) return [`${at}: no resource ${name} in Google's API`];
  if (!value || typeof value !== "object" || Array.isArray(value)) return [`${at}: not an object`];
  const errors: string[] = [];
  for (const [key, v] of Object.entries(value)) {
    const field = schema.get(key);
    if (!field) {
      errors.push(`${at}.${key}: not a field of Google's ${name}`);
      continue;
    }
    if (v === null || v === undefined) continue;
    const items = field.array ? v : [v];
    if (field.array && !Array.isArray(v)) {
      errors.push(`${at}.${key}: Google's is a list`);
      continue;
    }
    for (const [i, item] of (items as unknown[]).entries()) {
      const where = field.array ? `${at}.${key}[${i}]` : `${at}.${key}`;
      if (field.type.startsWith("Schema$")) errors.push(...shapeErrors(field.type.slice(7), item, where));
      else if (["string", "number", "boolean"].includes(field.type) && typeof item !== field.type)
        errors.push(`${where}: Google's is a ${field.type}, not ${typeof item}`);
    }
  }
  return errors;
}
