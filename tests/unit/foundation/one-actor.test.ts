import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const root = path.resolve(import.meta.dirname, "../../..");

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return full === path.join(root, "lib", "generated") ? [] : sourceFiles(full);
    return /\.tsx?$/.test(entry.name) && !entry.name.endsWith(".test.ts") ? [full] : [];
  });
}

/** The parameter list of every exported function of a source, split at its top-level commas. */
function exportedParameterLists(source: string): { name: string; params: string[] }[] {
  const found: { name: string; params: string[] }[] = [];
  const start = /export\s+(?:async\s+)?function\s+(\w+)\s*(?:<[^(]*>)?\s*\(/g;
  for (let m = start.exec(source); m; m = start.exec(source)) {
    let depth = 1;
    let i = start.lastIndex;
    let current = "";
    const params: string[] = [];
    for (; i < source.length && depth > 0; i++) {
      const c = source[i];
      if ("([{".includes(c)) depth++;
      if (")]}".includes(c)) depth--;
      if (depth === 0) break;
      if (c === "," && depth === 1) {
        params.push(current.trim());
        current = "";
      } else current += c;
    }
    if (current.trim()) params.push(current.trim());
    found.push({ name: m[1], params });
  }
  return found;
}

// The permission checks themselves take the actor first, as assertPermitted(tx, actor, requirement) does:
// they are not operations, and an actor cannot be swapped with a requirement without a type error.
const checks = new Set([
  "auditActorOf",
  "permits",
  "assertPermitted",
  "isOrgAdmin",
  "canManageOrg",
  "canViewOrg",
  "assertOrgAdmin",
  "assertCanManageOrg",
  "assertTheaterAdminRole",
  "assertTheaterAdmin",
  "requireFinanceUser",
]);

describe("one actor (issue 13)", () => {
  it("every exported operation of lib/ names its actor in one options object, never positionally", () => {
    const files = sourceFiles(path.join(root, "lib"));
    expect(files.length).toBeGreaterThan(100);
    const positional = files.flatMap((file) =>
      exportedParameterLists(fs.readFileSync(file, "utf8"))
        .filter(({ name }) => !checks.has(name))
        .filter(({ params }) =>
          params.some(
            (p) => /^(actor|by|actorId)\??\s*:/.test(p) || /^\w+\??\s*:\s*(Actor|UserActor|SystemActor)\b/.test(p),
          ),
        )
        .map(({ name }) => `${path.relative(root, file)}: ${name}`),
    );
    expect(positional).toEqual([]);
  });

  it("the edge passes on the actor requireAccess built, and builds none from a session itself", () => {
    const files = sourceFiles(path.join(root, "app"));
    const handBuilt = files.filter((file) =>
      /userActor\([^)]*session|type: "user"(?: as const)?, id: [^,}]*session/.test(fs.readFileSync(file, "utf8")),
    );
    expect(handBuilt.map((file) => path.relative(root, file))).toEqual([]);
  });
});
