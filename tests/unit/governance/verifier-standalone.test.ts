import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

/**
 * The public verifier must run without Guildhall's database, configuration or
 * dependencies: node:crypto and its own files only (plus the dependency-free
 * canonical JSON, and lib/merkle, itself node:crypto only: tests/unit/merkle). This keeps `governance verify
 * --file` honest for a third party.
 */
describe("lib/governance/verifier", () => {
  const dir = path.resolve(import.meta.dirname, "../../../lib/governance/verifier");
  for (const file of fs.readdirSync(dir).filter((f) => f.endsWith(".ts"))) {
    it(`${file} imports only node:crypto and the verifier's own files`, () => {
      const source = fs.readFileSync(path.join(dir, file), "utf8");
      const imports = [...source.matchAll(/from\s+"([^"]+)"/g)].map((m) => m[1]);
      for (const i of imports)
        expect(
          ["node:crypto", "../../crypto/canonical-json"].includes(i) ||
            i.startsWith("./") ||
            i.startsWith("../../merkle/"),
          `${file} imports ${i}`,
        ).toBe(true);
    });
  }
  it("canonical-json itself imports nothing", () => {
    const source = fs.readFileSync(path.resolve(dir, "../../crypto/canonical-json.ts"), "utf8");
    expect(source).not.toMatch(/^import /m);
  });
});
