import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const root = path.resolve(import.meta.dirname, "../../..");

function libModules(dir = path.join(root, "lib")): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === "generated" ? [] : libModules(full);
    return /\.tsx?$/.test(entry.name) && !entry.name.endsWith(".test.ts") ? [full] : [];
  });
}

// The modules that hold the database, the configuration's secrets and the sealing key.
const serverHeld = ["@/lib/db/client", "@/lib/config/env", "@/lib/keys/seal"];
const importsValueOf = (source: string, module: string) =>
  new RegExp(`^import (?!type )[^;]*from "${module}";`, "m").test(source);

describe("server-only", () => {
  it("every lib module that imports the database, the configuration or the sealing key says it is server-only", () => {
    const unmarked = libModules()
      .filter((file) => {
        const source = fs.readFileSync(file, "utf8");
        return serverHeld.some((m) => importsValueOf(source, m)) && !source.includes('import "server-only";');
      })
      .map((file) => path.relative(root, file));
    expect(unmarked).toEqual([]);
  });
});
