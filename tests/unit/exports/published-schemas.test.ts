import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { publishedJsonSchema, publishedSchemas } from "@/app/schemas/registry";

describe("published JSON Schemas", () => {
  for (const name of Object.keys(publishedSchemas)) {
    it(`docs/schemas/${name} is what /schemas/${name} serves (npm run schemas:write)`, () => {
      const written = JSON.parse(fs.readFileSync(path.join("docs", "schemas", name), "utf8"));
      expect(written).toEqual(publishedJsonSchema(name));
    });
  }
  it("knows no other name", () => {
    expect(publishedJsonSchema("../package.json")).toBeNull();
    expect(publishedJsonSchema("toString")).toBeNull();
  });
});
