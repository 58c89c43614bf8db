import { describe, expect, it } from "vitest";
import { isDatabaseUnavailable } from "@/lib/db/is-database-unavailable";

// Error shapes as the drivers produce them (the Prisma message is one a standalone
// instance logged while its database refused connections).
const prismaRefused = Object.assign(
  new Error(
    '\nInvalid `prisma.releaseManifest.findFirst()` invocation:\n\n\nDatabase error. Code: `55000`. Message: `database "gh" is not currently accepting connections`',
  ),
  { code: "P2010" },
);
const pgAdminShutdown = Object.assign(new Error("terminating connection due to administrator command"), {
  code: "57P01",
});
const nodeRefused = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:4630"), { code: "ECONNREFUSED" });

describe("isDatabaseUnavailable", () => {
  it("recognises a lost or refused connection, however wrapped", () => {
    expect(isDatabaseUnavailable(prismaRefused)).toBe(true);
    expect(isDatabaseUnavailable(pgAdminShutdown)).toBe(true);
    expect(isDatabaseUnavailable(nodeRefused)).toBe(true);
    expect(isDatabaseUnavailable(new Error("Connection terminated unexpectedly"))).toBe(true);
    expect(isDatabaseUnavailable(new Error("wrapped", { cause: new Error("outer", { cause: nodeRefused }) }))).toBe(
      true,
    );
    expect(isDatabaseUnavailable({ name: "DriverAdapterError", cause: { kind: "ConnectionClosed" } })).toBe(true);
    expect(isDatabaseUnavailable(Object.assign(new Error("read only"), { code: "25006" }))).toBe(true);
  });

  it("leaves the statement's own refusals alone: they are the request's business", () => {
    expect(
      isDatabaseUnavailable(
        Object.assign(new Error("Unique constraint failed on the fields: (`email`)"), { code: "P2002" }),
      ),
    ).toBe(false);
    expect(
      isDatabaseUnavailable(
        Object.assign(new Error("duplicate key value violates unique constraint"), { code: "23505" }),
      ),
    ).toBe(false);
    expect(
      isDatabaseUnavailable(
        Object.assign(new Error("Database error. Code: `42601`. Message: `syntax error`"), { code: "P2010" }),
      ),
    ).toBe(false);
    expect(isDatabaseUnavailable(new Error("Something else"))).toBe(false);
    expect(isDatabaseUnavailable(undefined)).toBe(false);
  });
});
