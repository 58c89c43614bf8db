import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { PGlite } from "@electric-sql/pglite";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { demoAccounts } from "@/lib/seed/demo-accounts";
import { sealWithKey } from "@/lib/crypto/sealed-box";
import { MAIL_CONTENT_PURPOSE } from "@/lib/mail/mail-content";
import { awaitNotificationsDelivered } from "@/lib/db/invalidation-feed";
import { runCli, runCliInProcess } from "./cli-harness";
import { eventAtSeq } from "@/tests/support/audit-places";
import { adoptRecordedPortalOrigin, recordPortalOrigin } from "@/lib/config/recorded-portal-origin";

/**
 * The operator CLI. In the PGlite run every command is a child process on an
 * embedded DATA_DIR of its own (the test's database is not used): what is
 * under test there is the one process the embedded database admits at a time.
 * In the Postgres run the commands run through the CLI's entry
 * (cli/run-cli.ts) in this process, on this file's database, and only what a
 * process alone shows starts one: the bundled binary's output and exit status
 * on success, on an error and on a broken chain's verdict.
 * The commands whose behaviour does not depend on the engine run only on Postgres.
 */
const onPostgres = (process.env.TEST_DB ?? "pglite") === "postgres";
const secrets = {
  AUTH_SECRET: "cli-test-auth-secret-0123456789abcdef0123",
  MASTER_KEY: Buffer.alloc(32, 3).toString("base64"),
  PUBLIC_URL: "http://localhost:3998",
};
let cliEnv: Record<string, string | undefined>;
let sql: (query: string) => Promise<Record<string, unknown>[]>;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "gh-cli-"));

beforeAll(async () => {
  if (onPostgres) {
    // The child processes inherit this file's database and secrets (tests/setup/integration-file.ts).
    cliEnv = {};
    sql = async (q) => {
      const c = new pg.Client({ connectionString: process.env.DATABASE_URL });
      await c.connect();
      try {
        return (await c.query(q)).rows;
      } finally {
        await c.end();
      }
    };
  } else {
    const dataDir = path.join(tmp, "data");
    cliEnv = { ...secrets, DATABASE_URL: undefined, DATA_DIR: dataDir };
    // The migrated template, as every test file's database starts (the CLI migrates it, finding nothing to do):
    // a new DATA_DIR would cost the first command an initdb and every migration in WebAssembly.
    fs.cpSync(path.join(inject("templateDatabase"), "pglite"), path.join(dataDir, "pglite"), { recursive: true });
    // Opened only between CLI runs: the embedded database has one process at a time.
    sql = async (q) => {
      const db = new PGlite(path.join(dataDir, "pglite"));
      try {
        const results = await db.exec(q);
        return (results.at(-1)?.rows ?? []) as Record<string, unknown>[];
      } finally {
        await db.close();
      }
    };
  }
});

afterAll(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

/** The CLI as a child process. On Postgres, once it has ended this process's caches have heard of its changes. */
async function spawned(args: string[], opts: { viaNpm?: boolean } = {}) {
  const result = await runCli(args, cliEnv, opts);
  if (onPostgres) await awaitNotificationsDelivered();
  return result;
}

/** A command: in this process on Postgres, a child process on PGlite (see above). */
const cli = (...args: string[]) => (onPostgres ? runCliInProcess(args) : spawned(args));

// Each CLI process starts Node (and on PGlite opens the embedded
// database); on a loaded machine a few of them take longer than the default.
const CLI_TEST_TIMEOUT_MS = 120_000;

async function tamperEvent(seq: number) {
  // What an operator with table-owner rights could do behind the append-only trigger.
  await sql(`ALTER TABLE "AuditEvent" DISABLE TRIGGER USER;
    UPDATE "AuditEvent" SET "data" = '{"role":"ORG_ADMIN","forged":true}' WHERE "id" = ${eventAtSeq(seq)};
    ALTER TABLE "AuditEvent" ENABLE TRIGGER USER;`);
}

describe(`operator CLI on ${onPostgres ? "PostgreSQL (DATABASE_URL)" : "embedded PGlite (DATA_DIR)"}`, () => {
  it(
    "seeds the demo data once, and audit verify passes on it",
    async () => {
      // The binary's success: the command's output on stdout, exit 0.
      const first = await spawned(["db", "seed"]);
      expect(first.code, first.stderr).toBe(0);
      expect(first.stdout).toContain(demoAccounts.admin.email);
      expect(first.stdout).toContain("/sign-in");
      if (onPostgres) {
        const again = await cli("db", "seed", "--json");
        expect(JSON.parse(again.stdout)).toEqual({ seeded: false });
      }

      const verify = await cli("audit", "verify");
      expect(verify.code, verify.stderr).toBe(0);
      expect(verify.stdout).toMatch(
        /^audit chain OK: \d+ events, head [0-9a-f]{64}\ntransparency log OK: \d+ of \d+ events published, matching the roots of \d+ checkpoints\n$/,
      );
    },
    CLI_TEST_TIMEOUT_MS,
  );

  it.runIf(!onPostgres)(
    "takes the public URL the portal recorded in DATA_DIR when given none, so audit verify finds the log under its name",
    async () => {
      const dataDir = String(cliEnv.DATA_DIR);
      // Without PUBLIC_URL or PORT the CLI would assume http://localhost:3000: the log above is signed as localhost:3998.
      expect(adoptRecordedPortalOrigin({ DATA_DIR: dataDir })).toBeNull();
      // What the portal started on this DATA_DIR writes (lib/start-portal.ts), here for PUBLIC_URL localhost:3998.
      recordPortalOrigin({ dataDir, publicUrl: secrets.PUBLIC_URL, logOrigin: undefined });
      const taken: Record<string, string | undefined> = { DATA_DIR: dataDir };
      expect(adoptRecordedPortalOrigin(taken)).toEqual({ publicUrl: secrets.PUBLIC_URL });
      expect(taken.PUBLIC_URL).toBe(secrets.PUBLIC_URL);
      // Given explicitly, the environment wins.
      expect(adoptRecordedPortalOrigin({ DATA_DIR: dataDir, PORT: "4000" })).toBeNull();
      const verify = await runCli(["audit", "verify"], { ...cliEnv, PUBLIC_URL: undefined, PORT: undefined });
      expect(verify.code, verify.stdout + verify.stderr).toBe(0);
      expect(verify.stdout).toContain("transparency log OK");
    },
    CLI_TEST_TIMEOUT_MS,
  );

  it.runIf(onPostgres)(
    "creates and lists users, grants and revokes roles, prints JSON with --json",
    async () => {
      const create = await cli(
        "users",
        "create",
        "--email",
        "Cli.User@Example.test",
        "--name",
        "Cli User",
        "--role",
        "finance",
        "--json",
      );
      expect(create.code, create.stderr).toBe(0);
      expect(JSON.parse(create.stdout)).toMatchObject({
        email: "cli.user@example.test",
        name: "Cli User",
        roles: ["FINANCE"],
      });

      const [grantOrg, grantGlobal] = await Promise.all([
        cli(
          "roles",
          "grant",
          "--email",
          "cli.user@example.test",
          "--role",
          "THEATER_ADMIN",
          "--org",
          demoAccounts.theater.slug,
          "--json",
        ),
        cli("roles", "grant", "--email", "cli.user@example.test", "--role", "COMMITTER"),
      ]);
      expect(JSON.parse(grantOrg.stdout)).toMatchObject({
        kind: "membership",
        role: "THEATER_ADMIN",
        orgSlug: demoAccounts.theater.slug,
        changed: true,
      });
      expect(grantGlobal.stdout).toBe("granted COMMITTER for cli.user@example.test\n");

      const list = await cli("users", "list", "--json");
      const users = JSON.parse(list.stdout) as {
        email: string;
        roles: string[];
        memberships: { orgSlug: string; role: string }[];
      }[];
      expect(users.map((u) => u.email)).toEqual(
        expect.arrayContaining([demoAccounts.admin.email, "cli.user@example.test"]),
      );
      expect(users.find((u) => u.email === "cli.user@example.test")).toMatchObject({
        roles: ["COMMITTER", "FINANCE"],
        memberships: [{ orgSlug: demoAccounts.theater.slug, role: "THEATER_ADMIN" }],
      });

      const [revokeOrg, revokeGlobal, plain] = await Promise.all([
        cli(
          "roles",
          "revoke",
          "--email",
          "cli.user@example.test",
          "--role",
          "THEATER_ADMIN",
          "--org",
          demoAccounts.theater.slug,
        ),
        cli("roles", "revoke", "--email", "cli.user@example.test", "--role", "FINANCE"),
        cli("users", "list", "--role", "ORG_ADMIN"),
      ]);
      expect(revokeOrg.stdout).toBe(
        `revoked THEATER_ADMIN of ${demoAccounts.theater.slug} for cli.user@example.test\n`,
      );
      expect(revokeGlobal.stdout).toBe("revoked FINANCE for cli.user@example.test\n");
      expect(plain.stdout.trim().split("\n")).toHaveLength(1);
      expect(plain.stdout).toContain(demoAccounts.admin.email);

      // A client with every request and token protection; the audit event records them with its other settings.
      const client = await cli(
        "clients",
        "create",
        "--name",
        "Strict RP",
        "--redirect-uri",
        "https://strict.example/cb",
        "--jwks-uri",
        "https://strict.example/jwks.json",
        "--require-par",
        "--require-signed-request-object",
        "--dpop-bound-access-tokens",
        "--json",
      );
      expect(client.code, client.stderr).toBe(0);
      const created = JSON.parse(client.stdout) as { client_id: string };
      expect(created).toMatchObject({
        jwks_uri: "https://strict.example/jwks.json",
        require_pushed_authorization_requests: true,
        require_signed_request_object: true,
        dpop_bound_access_tokens: true,
      });
      // Stored, and registered in the audit chain, whose state digest covers every setting of the client.
      const [stored] = await sql(
        `SELECT c."requirePushedAuthorizationRequests" AS par, c."requireSignedRequestObject" AS jar, c."dpopBoundAccessTokens" AS dpop,
                (SELECT count(*)::int FROM "AuditEvent" e WHERE e."action" = 'oidc_client.registered' AND e."subjectId" = c."id") AS audited
         FROM "OidcClient" c WHERE c."id" = '${created.client_id}'`,
      );
      expect(stored).toEqual({ par: true, jar: true, dpop: true, audited: 1 });
    },
    CLI_TEST_TIMEOUT_MS,
  );

  it.runIf(onPostgres)(
    "prints one line and exits non-zero on every error",
    async () => {
      const cases: [string[], string][] = [
        [
          ["users", "create", "--email", demoAccounts.admin.email],
          `error: An account for ${demoAccounts.admin.email} already exists.`,
        ],
        [["users", "create", "--email", "not-an-email"], "error: invalid input: email: Enter a valid email address."],
        [["users", "create"], "error: --email is required"],
        [
          ["roles", "grant", "--email", "nobody@example.test", "--role", "MEMBER"],
          "error: No account for nobody@example.test.",
        ],
        [
          ["roles", "grant", "--email", demoAccounts.admin.email, "--role", "KING"],
          'error: unknown role "KING"; use one of ORG_ADMIN, MEMBER, COMMITTER, FINANCE, THEATER_ADMIN, HOST_OPERATOR',
        ],
        [
          ["roles", "grant", "--email", demoAccounts.admin.email, "--role", "HOST_OPERATOR"],
          "error: HOST_OPERATOR is held in an organization; add --org SLUG",
        ],
        [
          [
            "roles",
            "grant",
            "--email",
            demoAccounts.admin.email,
            "--role",
            "HOST_OPERATOR",
            "--org",
            demoAccounts.theater.slug,
          ],
          `error: ${demoAccounts.theater.slug} is a theater: its role is THEATER_ADMIN, not HOST_OPERATOR`,
        ],
        [
          ["roles", "revoke", "--email", demoAccounts.admin.email, "--role", "ORG_ADMIN"],
          "error: This is the last org admin; grant the role to someone else first.",
        ],
        [["mail", "last", "--to", "silent@example.test"], "error: No mail to silent@example.test."],
        [
          ["clients", "create", "--name", "No keys", "--require-signed-request-object"],
          "error: invalid input: jwks: signed request objects need jwks or jwksUri to verify them with",
        ],
        [
          ["clients", "create", "--name", "Switch", "--dpop-bound-access-tokens", "yes"],
          "error: --dpop-bound-access-tokens takes no value (it is on when given)",
        ],
        [["frobnicate"], 'error: unknown command "frobnicate"; run with --help for the list'],
      ];
      // The binary's failure, once: one line on stderr, nothing on stdout, exit 1.
      const inProcess = await Promise.all(cases.map(([args]) => cli(...args)));
      const results = [...inProcess, await spawned(cases[0][0])];
      results.forEach((r, i) => {
        const [args, line] = cases[i % cases.length];
        expect({ args, code: r.code, stderr: r.stderr, stdout: r.stdout }).toEqual({
          args,
          code: 1,
          stderr: line,
          stdout: "",
        });
      });
    },
    CLI_TEST_TIMEOUT_MS,
  );

  it.runIf(onPostgres)(
    "prints the newest mail to an address",
    async () => {
      // Stored as the portal stores mail: its content sealed under the CLI's master key (this file's).
      const sealed = (subject: string, text: string, html: string) =>
        sealWithKey(
          MAIL_CONTENT_PURPOSE,
          JSON.stringify({ subject, text, html }),
          Buffer.from(String(process.env.MASTER_KEY), "base64"),
        );
      await sql(`INSERT INTO "MailMessage" ("id","to","sealedContent","template","createdAt") VALUES
      ('msg_old','reader@example.test','${sealed("Older", "old text", "<p>old</p>")}','test', now() - interval '1 minute'),
      ('msg_new','reader@example.test','${sealed("Newest subject", "line one\nline two", "<p>new</p>")}','test', now())`);
      const [text, json] = await Promise.all([
        cli("mail", "last", "--to", "Reader@example.test"),
        cli("mail", "last", "--to", "reader@example.test", "--json"),
      ]);
      expect(text.code, text.stderr).toBe(0);
      expect(text.stdout).toContain("Subject: Newest subject\n");
      expect(text.stdout).toContain("line one\nline two\n");
      expect(JSON.parse(json.stdout)).toMatchObject({
        id: "msg_new",
        to: "reader@example.test",
        content: { subject: "Newest subject", html: "<p>new</p>" },
        template: "test",
      });
    },
    CLI_TEST_TIMEOUT_MS,
  );

  it.runIf(onPostgres)(
    "verifies an export with --file, and names the event of an edited export",
    async () => {
      const exported = await cli("audit", "export");
      expect(exported.code, exported.stderr).toBe(0);
      const file = path.join(tmp, "audit.jsonl");
      fs.writeFileSync(file, exported.stdout);
      const lines = exported.stdout.trim().split("\n");
      const edited = lines.map((l, i) =>
        i === 2
          ? l
              .replace(/"action":"[^"]+"/, '"action":"role.granted"')
              .replace(/"subjectId":"[^"]+"/, '"subjectId":"usr_mallory"')
          : l,
      );
      const badFile = path.join(tmp, "audit-edited.jsonl");
      fs.writeFileSync(badFile, `${edited.join("\n")}\n`);
      fs.writeFileSync(path.join(tmp, "garbage.jsonl"), `${lines[0]}\nnot json\n`);

      const [good, bad, garbage, missing] = await Promise.all([
        cli("audit", "verify", "--file", file, "--json"),
        cli("audit", "verify", "--file", badFile),
        cli("audit", "verify", "--file", path.join(tmp, "garbage.jsonl")),
        cli("audit", "verify", "--file", path.join(tmp, "nope.jsonl")),
      ]);
      expect(good.code, good.stderr).toBe(0);
      expect(JSON.parse(good.stdout)).toMatchObject({ ok: true, count: lines.length });
      const third = JSON.parse(lines[2]) as { id: string };
      expect(bad).toMatchObject({
        code: 1,
        stdout: `audit chain BROKEN at event 3 (${third.id}): hash does not match the event's content: the event was altered\n`,
      });
      expect(garbage).toMatchObject({
        code: 1,
        stderr: `error: ${path.join(tmp, "garbage.jsonl")}:2: not a JSON line`,
      });
      expect(missing.code).toBe(1);
      expect(missing.stderr.split("\n")).toHaveLength(1);
    },
    CLI_TEST_TIMEOUT_MS,
  );

  it(
    "fails audit verify (exit 1, naming the event) after an event was edited in the database",
    async () => {
      const [row] = await sql(`SELECT "eventId" AS "id" FROM "AuditPlacement" WHERE "seq" = 4`);
      await tamperEvent(4);
      // A verdict's exit status from the process: on PGlite as the README gives the command (tsx through npm,
      // which passes the status on), on Postgres the bundled binary (the same npm script needs no second run).
      const verify = await spawned(["audit", "verify"], { viaNpm: !onPostgres });
      expect(verify.code).toBe(1);
      expect(verify.stdout).toBe(
        `audit chain BROKEN at event 4 (${String(row.id)}): hash does not match the event's content: the event was altered\n`,
      );
      const json = await cli("audit", "verify", "--json");
      expect(json.code).toBe(1);
      expect(JSON.parse(json.stdout)).toMatchObject({ ok: false, seq: "4", id: row.id, count: 3 });
    },
    CLI_TEST_TIMEOUT_MS,
  );

  it.runIf(!onPostgres)(
    "verifies an export while the embedded database is open in another process, and refuses commands that need it",
    async () => {
      const exported = await cli("audit", "export");
      expect(exported.code, exported.stderr).toBe(0);
      const file = path.join(tmp, "export.jsonl");
      fs.writeFileSync(file, exported.stdout);
      // This test process stands in for a running portal holding the embedded database.
      const lockFile = path.join(String(cliEnv.DATA_DIR), "guildhall.pid");
      fs.writeFileSync(lockFile, String(process.pid));
      try {
        const verify = await cli("audit", "verify", "--file", file);
        // It ran without the database: the export (of the database edited above) is checked, and found broken.
        expect(verify).toMatchObject({ code: 1, stderr: "" });
        expect(verify.stdout).toMatch(/^audit chain BROKEN at event 4 \(evt_/);
        const list = await cli("users", "list");
        expect(list.code).toBe(1);
        expect(list.stderr).toBe(
          `error: The embedded database in ${String(cliEnv.DATA_DIR)} is open in process ${process.pid} (probably the running portal). Stop it first, or point DATABASE_URL at a Postgres server to share one database.`,
        );
      } finally {
        fs.rmSync(lockFile, { force: true });
      }
    },
    CLI_TEST_TIMEOUT_MS,
  );
});
