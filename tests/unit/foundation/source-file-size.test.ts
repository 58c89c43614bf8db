import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const root = path.resolve(import.meta.dirname, "../../..");

/** The house keeps one operation per file; a file past this many lines holds more than one (issue 13). */
const MAX_LINES = 300;

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return full === path.join(root, "lib", "generated") ? [] : sourceFiles(full);
    return /\.tsx?$/.test(entry.name) ? [full] : [];
  });
}

const lineCount = (file: string) => fs.readFileSync(file, "utf8").replace(/\n$/, "").split("\n").length;

describe("source file size", () => {
  it(`no source file under lib/ (but lib/generated), app/ or cli/ is over ${MAX_LINES} lines`, () => {
    const files = ["lib", "app", "cli"].flatMap((dir) => sourceFiles(path.join(root, dir)));
    expect(files.length).toBeGreaterThan(100);
    const tooLong = files
      .map((file) => ({ file: path.relative(root, file), lines: lineCount(file) }))
      .filter(({ lines }) => lines > MAX_LINES);
    expect(tooLong).toEqual([]);
  });
});
