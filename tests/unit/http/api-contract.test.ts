import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { Validator } from "@seriousme/openapi-schema-validator";
import { describe, expect, it } from "vitest";
import { apiOperations, routesOutsideTheRegistry } from "@/app/api/api-registry";
import { openApiDocument } from "@/app/api/v1/openapi-document";
import { errorCodeToHttpStatus } from "@/lib/errors/app-error";

const root = path.resolve(import.meta.dirname, "../../..");

function filesUnder(dir: string, name: (file: string) => boolean): string[] {
  return readdirSync(path.join(root, dir), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && name(e.name))
    .map((e) => path.relative(root, path.join(e.parentPath, e.name)));
}

/** The methods a route file exports: `export const GET`, `export async function GET`, `export { h as GET }`. */
function exportedMethods(source: string): string[] {
  const methods = new Set<string>();
  for (const m of source.matchAll(/export (?:const|(?:async )?function) (GET|POST|PUT|PATCH|DELETE)\b/g))
    methods.add(m[1]);
  for (const m of source.matchAll(/export \{([^}]*)\}/g))
    for (const name of m[1].matchAll(/as (GET|POST|PUT|PATCH|DELETE)\b/g)) methods.add(name[1]);
  return [...methods];
}

/** `app/api/account/passkeys/[passkeyId]/route.ts` → `/api/account/passkeys/{passkeyId}`. */
function openApiPathOf(routeFile: string): string {
  return `/${path.dirname(routeFile).replace(/^app\//, "")}`.replace(/\[([^\]]+)\]/g, "{$1}");
}

describe("the API's registry of operations", () => {
  const routeFiles = filesUnder("app/api", (f) => f === "route.ts");
  const registered = new Set(apiOperations.map((op) => `${op.method} ${op.path}`));

  it("describes every method of every route under app/api, or says why not", () => {
    const missing = routeFiles.flatMap((file) =>
      file in routesOutsideTheRegistry
        ? []
        : exportedMethods(readFileSync(path.join(root, file), "utf8"))
            .map((method) => `${method} ${openApiPathOf(file)}`)
            .filter((operation) => !registered.has(operation)),
    );
    expect(missing).toEqual([]);
    expect(routeFiles.length).toBeGreaterThan(60);
  });

  it("describes only routes that exist, each once, with unique operation ids", () => {
    const existing = new Set(
      routeFiles.flatMap((file) =>
        exportedMethods(readFileSync(path.join(root, file), "utf8")).map((m) => `${m} ${openApiPathOf(file)}`),
      ),
    );
    expect([...registered].filter((operation) => !existing.has(operation))).toEqual([]);
    expect(registered.size).toBe(apiOperations.length);
    expect(new Set(apiOperations.map((op) => op.operationId)).size).toBe(apiOperations.length);
    for (const file of Object.keys(routesOutsideTheRegistry)) expect(routeFiles).toContain(file);
  });

  it("declares each operation's path parameters, and each route has apiRoute parse them with a schema", () => {
    const undeclared = apiOperations
      .filter((op) => {
        const inPath = [...op.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
        const declared = Object.keys(op.request?.params?.shape ?? {}).sort();
        return JSON.stringify(inPath) !== JSON.stringify(declared);
      })
      .map((op) => `${op.method} ${op.path}`);
    expect(undeclared).toEqual([]);
    const unparsed = routeFiles
      .filter((file) => file.includes("[") && !(file in routesOutsideTheRegistry))
      .filter((file) => {
        const source = readFileSync(path.join(root, file), "utf8");
        return source.match(/\bapiRoute\(/g)?.length !== source.match(/\bparams: \w+/g)?.length;
      });
    expect(unparsed).toEqual([]);
    expect(routeFiles.filter((file) => file.includes("[")).length).toBeGreaterThan(25);
  });
});

describe("the OpenAPI documents", () => {
  // One validator for both documents: it compiles the OpenAPI 3.1 meta-schema once (most of its work).
  const validator = new Validator();

  // About 0.3 s of CPU for the whole API's document (220 kB); at a load of 30 on CI's 2 cores a test gets
  // a fifteenth of a core, so Vitest's 5 s default was too short there, and 30 s is not.
  it.each(["all", "ticket-sale"] as const)("%s is valid OpenAPI 3.1", { timeout: 30_000 }, async (name) => {
    const result = await validator.validate(openApiDocument(name));
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it("the whole API's names every registered operation and every reason it may give", () => {
    const doc = openApiDocument("all");
    for (const op of apiOperations) {
      const described = (doc.paths[op.path] as Record<string, { "x-failure-reasons"?: string[] }>)[
        op.method.toLowerCase()
      ];
      expect(described, `${op.method} ${op.path}`).toBeDefined();
      expect(described["x-failure-reasons"] ?? []).toEqual([...new Set(op.reasons.flatMap((r) => Object.keys(r)))]);
    }
  });
});

describe("the domains' closed lists of failure reasons", () => {
  const sourceFiles = [...filesUnder("lib", (f) => /\.tsx?$/.test(f)), ...filesUnder("app", (f) => /\.tsx?$/.test(f))]
    .filter((file) => !file.startsWith("lib/generated/"))
    .map((file) => ({ file, source: readFileSync(path.join(root, file), "utf8") }));

  /**
   * The refusal helpers each file defines, which make an AppError with the reason they are given:
   * `const refuse = (what, reason) => new AppError("CONFLICT", { userMessage: what, reason })`.
   */
  const refusalHelpers = new Map(
    sourceFiles.map(({ file, source }) => [
      file.replace(/\.tsx?$/, ""),
      new Set(
        [...source.matchAll(/(?:function|const) (\w+)\b[^;]{0,200}?new AppError\([^;]{0,120}?\breason\s*[,}]/g)].map(
          (m) => m[1],
        ),
      ),
    ]),
  );

  /** The helpers a file calls that make an AppError: its own, and those it imports by name. */
  function helpersOf(file: string, source: string): string[] {
    const helpers = [...(refusalHelpers.get(file.replace(/\.tsx?$/, "")) ?? [])];
    for (const m of source.matchAll(/import \{([^}]*)\} from "@\/([^"]+)"/g))
      for (const name of m[1].split(",").map((n) => n.trim()))
        if (refusalHelpers.get(m[2])?.has(name)) helpers.push(name);
    return helpers;
  }

  /**
   * Every reason the code gives as a literal, with the file it is in: `reason: "X"`, and, in a file that calls a
   * refusal helper (`refuse("CONFLICT", "X", ...)`, `unprocessable(message, "X")`), every UPPER_SNAKE literal that
   * is not an error code (nor a library's ERR_ code it compares).
   */
  const given = sourceFiles.flatMap(({ file, source }) => {
    const reasons = [...source.matchAll(/\breason: "([A-Za-z_]+)"/g)].map((m) => m[1]);
    if (helpersOf(file, source).length > 0)
      for (const literal of source.matchAll(/"([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)"/g))
        if (!(literal[1] in errorCodeToHttpStatus) && !literal[1].startsWith("ERR_")) reasons.push(literal[1]);
    return reasons.map((reason) => ({ file, reason }));
  });

  /** Each domain's lists, by domain: whatever its failure-reasons.ts exports. */
  const listModules = import.meta.glob<Record<string, Record<string, string>>>("/lib/*/failure-reasons.ts", {
    eager: true,
  });
  const lists: Record<string, Record<string, string>> = Object.fromEntries(
    Object.entries(listModules).map(([file, module]) => [
      file.split("/")[2],
      Object.assign({}, ...Object.values(module)),
    ]),
  );

  it("a domain gives only the reasons its failure-reasons.ts lists; a route, only listed ones", () => {
    const everyReason = Object.assign({}, ...Object.values(lists));
    const unlisted = given.filter(({ file, reason }) =>
      file.startsWith("lib/") ? !(reason in (lists[file.split("/")[1]] ?? {})) : !(reason in everyReason),
    );
    expect(unlisted).toEqual([]);
    expect(given.length).toBeGreaterThan(150);
  });
});
