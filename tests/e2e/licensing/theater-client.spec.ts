import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { spawn } from "node:child_process";
import type { AddressInfo } from "node:net";
import { expect, test } from "@playwright/test";
import { signInWithEmailCode } from "../support/sign-in";
import { e2eDatabaseUrl, queryE2e } from "../support/database";
import { x509 } from "../../../lib/licensing/x509";
import { createMtlsHost } from "../../../examples/mtls-host/create-mtls-host";
import { bundledCli } from "../../support/bundled-cli";
import { defined } from "../../support/defined";

/**
 * Runs the management client (its bin entry) or the operator CLI, as a person
 * would. Asynchronously: the example host runs in this process and must keep answering.
 */
function run(cmd: string[], env: Record<string, string> = {}) {
  return new Promise<{ status: number | null; out: string }>((resolve) => {
    const child = spawn(process.execPath, cmd, { env: { ...process.env, ...env } });
    let out = "";
    child.stdout.on("data", (c) => (out += c));
    child.stderr.on("data", (c) => (out += c));
    const timer = setTimeout(() => child.kill(), 60_000);
    child.on("close", (status) => {
      clearTimeout(timer);
      resolve({ status, out });
    });
  });
}
const client = (args: string[], env: Record<string, string> = {}) =>
  run(["tools/theater-client/bin.mjs", ...args], env);

test("the management client makes a key, gets it certified with an API token, downloads the theater's backup, verifies offline and connects over mTLS", async ({
  browser,
  baseURL,
}) => {
  // Five CLI processes, each booting Node and the database client (seconds each on a busy 2-core machine): 60 s ran out.
  test.setTimeout(180_000);
  const tag = crypto.randomBytes(4).toString("hex");
  const [userId, orgId, email] = [`usr_cli${tag}`, `org_cli${tag}`, `cli-${tag}@example.test`];
  await queryE2e(`INSERT INTO "User" ("id", "email", "name", "emailVerifiedAt") VALUES ($1, $2, 'CLI admin', now())`, [
    userId,
    email,
  ]);
  await queryE2e(
    `INSERT INTO "Organization" ("id", "slug", "name", "kind") VALUES ($1, $2, 'CLI Theater', 'THEATER')`,
    [orgId, `cli-theater-${tag}`],
  );
  await queryE2e(`INSERT INTO "Membership" ("orgId", "userId", "role") VALUES ($1, $2, 'THEATER_ADMIN')`, [
    orgId,
    userId,
  ]);
  const page = await (await browser.newContext({ extraHTTPHeaders: { origin: defined(baseURL) } })).newPage();
  await signInWithEmailCode(page, email);
  const [plan] = await queryE2e<{ id: string }>(`SELECT "id" FROM "LicensePlan" WHERE "name" = 'Stage'`);
  const { licenseId, checkoutId } = await (
    await page.request.post("/api/licensing/licenses", { data: { theaterOrgId: orgId, planId: plan.id } })
  ).json();
  await page.request.post(`/api/pay/simulated/${checkoutId}`, { form: { card: "4242424242424242" }, maxRedirects: 0 });
  const { token } = await (
    await page.request.post(`/api/licensing/theaters/${orgId}/api-tokens`, { data: { name: "client" } })
  ).json();

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gh-client-"));
  expect((await client(["keygen", "--dir", dir, "--alg", "ed25519"])).status).toBe(0);
  expect(fs.statSync(path.join(dir, "key.pem")).mode & 0o777).toBe(0o600);
  const requested = await client(["request", "--dir", dir, "--url", defined(baseURL), "--license", licenseId], {
    GUILDHALL_TOKEN: token,
  });
  expect(requested.status, requested.out).toBe(0);
  const verified = await client(["verify", "--dir", dir]);
  expect(verified.status, verified.out).toBe(0);
  expect(verified.out).toContain('"code": "VALID"');
  const wrongToken = await client(["fetch", "--dir", dir], { GUILDHALL_TOKEN: "ght_wrong" });
  expect(wrongToken.status).toBe(1);
  expect(wrongToken.out).toContain("BAD_API_TOKEN");

  // The theater's signed backup, through the theater API with the same token (docs/EXPORTS.md).
  const backupFile = path.join(dir, "backup.json");
  const exported = await client(["export", "--dir", dir, "--theater", orgId, "--out", backupFile], {
    GUILDHALL_TOKEN: token,
  });
  expect(exported.status, exported.out).toBe(0);
  expect(exported.out).toContain(`"theater": "cli-theater-${tag}"`);
  const backup = JSON.parse(fs.readFileSync(backupFile, "utf8"));
  expect(fs.statSync(backupFile).mode & 0o777).toBe(0o600);
  expect(backup.backup).toMatchObject({ format: "guildhall-theater-backup", theater: { id: orgId } });
  expect(backup.backup.licenses.map((l: { id: string }) => l.id)).toEqual([licenseId]);
  expect(backup.recordHashes.licenses).toHaveLength(1);
  expect(backup.signature.split(".")).toHaveLength(3);
  const exportRefused = await client(["export", "--dir", dir, "--theater", orgId, "--out", `${backupFile}.2`], {
    GUILDHALL_TOKEN: "ght_wrong",
  });
  expect(exportRefused.status).toBe(1);
  expect(exportRefused.out).toContain("BAD_API_TOKEN");
  expect(fs.existsSync(`${backupFile}.2`)).toBe(false);

  // The operator CLI verifies the same files offline against the portal's database.
  const cliEnv = {
    DATABASE_URL: e2eDatabaseUrl(),
    PUBLIC_URL: defined(baseURL),
    MASTER_KEY: Buffer.alloc(32, 9).toString("base64"),
    AUTH_SECRET: "e2e-auth-secret-0123456789abcdef0123456789",
    LOG_LEVEL: "warn",
    SEED_DEMO: "0",
  };
  const cli = async (args: string[]) => run([await bundledCli(), ...args], cliEnv);
  const cliOk = await cli(["licenses", "verify", path.join(dir, "license.jws"), "--cert", path.join(dir, "cert.pem")]);
  expect(cliOk.status, cliOk.out).toBe(0);
  expect(cliOk.out).toContain("VALID");
  fs.writeFileSync(
    path.join(dir, "garbled.jws"),
    fs.readFileSync(path.join(dir, "license.jws"), "utf8").replace(/\.[\w-]{10}/, ".AAAAAAAAAA"),
  );
  const cliBad = await cli(["licenses", "verify", path.join(dir, "garbled.jws")]);
  expect(cliBad.status).toBe(1);
  expect(cliBad.out).toMatch(/^(BAD_SIGNATURE|MALFORMED):/m);

  // An example host, trusting only what Guildhall publishes.
  const alg = { name: "ECDSA", namedCurve: "P-256", hash: "SHA-256" };
  const keys = (await crypto.webcrypto.subtle.generateKey(alg, true, ["sign", "verify"])) as CryptoKeyPair;
  const hostCert = await x509.X509CertificateGenerator.createSelfSigned({
    name: "CN=localhost",
    keys,
    signingAlgorithm: alg,
    extensions: [new x509.SubjectAlternativeNameExtension([{ type: "dns", value: "localhost" }])],
  });
  fs.writeFileSync(path.join(dir, "host.pem"), hostCert.toString("pem"));
  const host = await createMtlsHost({
    rootPem: await (await page.request.get("/.well-known/guildhall/ca/root.pem")).text(),
    serverCertPem: hostCert.toString("pem"),
    serverKeyPem: x509.PemConverter.encode(
      await crypto.webcrypto.subtle.exportKey("pkcs8", keys.privateKey),
      "PRIVATE KEY",
    ),
    issuer: baseURL,
    jwks: async () => (await fetch(`${baseURL}/.well-known/guildhall/license-keys.json`)).json(),
    crl: async (url) => new Uint8Array(await (await fetch(url)).arrayBuffer()),
  });
  await new Promise<void>((resolve) => host.listen(0, "127.0.0.1", resolve));
  const hostUrl = `https://localhost:${(host.address() as AddressInfo).port}/`;
  try {
    const connected = await client([
      "connect",
      "--dir",
      dir,
      "--host",
      hostUrl,
      "--host-ca",
      path.join(dir, "host.pem"),
    ]);
    expect(connected.status, connected.out).toBe(0);
    expect(connected.out).toContain(licenseId);

    const orgAdminEmail = `orgadmin-${tag}@example.test`;
    await queryE2e(
      `INSERT INTO "User" ("id", "email", "name", "emailVerifiedAt") VALUES ($1, $2, 'Org admin', now())`,
      [`usr_oa${tag}`, orgAdminEmail],
    );
    await queryE2e(`INSERT INTO "UserRole" ("userId", "role") VALUES ($1, 'ORG_ADMIN')`, [`usr_oa${tag}`]);
    const adminPage = await (await browser.newContext({ extraHTTPHeaders: { origin: defined(baseURL) } })).newPage();
    await signInWithEmailCode(adminPage, orgAdminEmail);
    expect(
      (
        await adminPage.request.post(`/api/licensing/licenses/${licenseId}/standing`, {
          data: { action: "revoke", reason: "contract ended" },
        })
      ).status(),
    ).toBe(200);
    const refused = await client(["connect", "--dir", dir, "--host", hostUrl, "--host-ca", path.join(dir, "host.pem")]);
    expect(refused.status).toBe(1);
    expect(refused.out).toContain('"code": "REVOKED"');
    const reverified = await client(["verify", "--dir", dir]);
    expect(reverified.status).toBe(1);
    expect(reverified.out).toContain('"code": "REVOKED"');
  } finally {
    await new Promise((resolve) => host.close(resolve));
  }
});
