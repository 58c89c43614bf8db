import { describe, expect, it } from "vitest";
import { isDatabaseUnavailable } from "@/lib/db/is-database-unavailable";
import { isUniqueViolation } from "@/lib/db/is-unique-violation";
import { Prisma } from "@/lib/db/client";

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

describe("isUniqueViolation", () => {
  const violation = (meta: Record<string, unknown>) =>
    new Prisma.PrismaClientKnownRequestError("Unique constraint failed", { code: "P2002", clientVersion: "7", meta });
  // How Prisma reports it through the pg driver adapter, and how it reports it without one.
  const throughAdapter = violation({
    driverAdapterError: { cause: { kind: "UniqueConstraintViolation", constraint: { fields: ["slug"] } } },
  });
  const withTarget = violation({ target: ["orgId", "userId"] });
  const byIndexName = violation({
    driverAdapterError: {
      cause: { kind: "UniqueConstraintViolation", constraint: { index: "Membership_orgId_userId_key" } },
    },
  });

  it("recognises P2002, and with fields only a violation over those columns", () => {
    expect(isUniqueViolation(throughAdapter)).toBe(true);
    expect(isUniqueViolation(throughAdapter, ["slug"])).toBe(true);
    expect(isUniqueViolation(throughAdapter, ["email"])).toBe(false);
    expect(isUniqueViolation(withTarget, ["userId"])).toBe(true);
    expect(isUniqueViolation(withTarget, ["email"])).toBe(false);
    expect(isUniqueViolation(byIndexName, ["orgId", "userId"])).toBe(true);
    expect(isUniqueViolation(byIndexName, ["slug"])).toBe(false);
    expect(isUniqueViolation(violation({}), ["slug"])).toBe(false);
  });

  it("leaves every other error alone", () => {
    const foreignKey = new Prisma.PrismaClientKnownRequestError("Foreign key", { code: "P2003", clientVersion: "7" });
    expect(isUniqueViolation(foreignKey)).toBe(false);
    expect(isUniqueViolation(Object.assign(new Error("dup"), { code: "P2002" }))).toBe(false);
    expect(isUniqueViolation(undefined)).toBe(false);
  });
});
