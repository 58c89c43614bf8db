/**
 * npm run bench:licensing: issuance per second (PKCS#10 request in, signed
 * certificate and license document stored, audited) and the time to verify
 * one license document offline. Runs on a throwaway Postgres database
 * (BENCH_DB=pglite for the embedded engine). Targets on the 2-core machine:
 * 200 issuances per second, under 0.2 ms per verification. The last line is
 * one JSON object.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createDatabase, dropDatabase, throwawayName } from "../tests/support/postgres-admin";

const engineName = process.env.BENCH_DB ?? "postgres";
const ISSUANCES = Number(process.env.BENCH_ISSUANCES ?? 1000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
const VERIFICATIONS = Number(process.env.BENCH_VERIFICATIONS ?? 20_000);

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "gh-bench-"));
Object.assign(process.env, {
  NODE_ENV: "test",
  SEED_DEMO: "0",
  LOG_LEVEL: "warn",
  DATA_DIR: dataDir,
  PUBLIC_URL: "http://localhost:3999",
  MASTER_KEY: Buffer.alloc(32, 5).toString("base64"),
  AUTH_SECRET: "bench-auth-secret-0123456789abcdef0123",
});
const dbName = engineName === "postgres" ? throwawayName("gh_bench") : undefined;
if (dbName) process.env.DATABASE_URL = await createDatabase(dbName);
else delete process.env.DATABASE_URL;

const { prepareDatabase } = await import("../lib/db/prepare-database");
const { db } = await import("../lib/db/client");
const { closeDb } = await import("../lib/db/close-db");
const { newId } = await import("../lib/ids");
const { x509 } = await import("../lib/licensing/x509");
const { initCertificateAuthority } = await import("../lib/licensing/init-certificate-authority");
const { createLicensePlan } = await import("../lib/licensing/create-license-plan");
const { activateLicenseForPaidOrder } = await import("../lib/licensing/activate-license-for-paid-order");
const { issueLicenseCertificate } = await import("../lib/licensing/issue-license-certificate");
const { getPublicJwks } = await import("../lib/keys/get-public-jwks");
const { createLicenseDocumentVerifier } = await import("../lib/licensing/verify-license-document");
const { newRequestId, runWithRequestContext } = await import("../lib/http/request-context");

try {
  // The portal's effects, fulfillers, session-end hooks and claim sources, as startPortal installs them.
  (await import("../lib/composition/composition")).installComposition(
    (await import("../lib/composition/portal-composition")).portalComposition,
  );
  await prepareDatabase();
  await initCertificateAuthority({
    rootKeyPath: path.join(dataDir, "root-key.pem"),
    actor: { type: "system", id: "bench" },
  });
  const plan = await createLicensePlan({
    name: "Bench",
    termDays: 365,
    priceMinor: 100,
    currency: "EUR",
    entitlements: { venues: 1 },
    actor: { type: "system", id: "bench" },
  });
  const orgId = newId("org");
  const userId = newId("usr");
  await db().organization.create({
    data: { id: orgId, slug: `bench-${orgId.slice(-6).toLowerCase()}`, name: "Bench Theater", kind: "THEATER" },
  });
  await db().user.create({ data: { id: userId, email: `${userId}@bench.test` } });
  await db().membership.create({ data: { orgId, userId, role: "THEATER_ADMIN" } });
  // Many licenses, so that issuances are not all serialized on one license's row lock.
  const licenseIds: string[] = [];
  for (let i = 0; i < CONCURRENCY; i++) {
    const id = newId("lic");
    await db().license.create({
      data: {
        id,
        theaterOrgId: orgId,
        planId: plan.id,
        entitlements: { venues: 1 },
        termDays: 365,
        createdById: userId,
      },
    });
    await db().$transaction((tx) =>
      activateLicenseForPaidOrder(tx, {
        id: newId("ord"),
        fulfilment: { kind: "license", licenseId: id },
        paidAt: new Date(),
      }),
    );
    licenseIds.push(id);
  }

  // Requests are made by theaters, not by Guildhall: prepared before the clock starts.
  const alg = { name: "ECDSA", namedCurve: "P-256", hash: "SHA-256" };
  const keys = (await crypto.subtle.generateKey(alg, true, ["sign", "verify"])) as CryptoKeyPair;
  const csrPem = (
    await x509.Pkcs10CertificateRequestGenerator.create({ name: "CN=bench", keys, signingAlgorithm: alg })
  ).toString("pem");
  const actor = { type: "user" as const, id: userId };
  // Warm-up (JIT, connection pool, caches), not counted.
  for (let i = 0; i < 100; i++)
    await issueLicenseCertificate({ licenseId: licenseIds[i % CONCURRENCY], csrPem, actor });

  // Each issuance runs in a request context with its own id, as apiRoute gives the certificates route
  // (the audit event records it); outside one, every audit append would first try next/headers and fail.
  const issue = (licenseId: string) =>
    runWithRequestContext({ requestId: newRequestId() }, () => issueLicenseCertificate({ licenseId, csrPem, actor }));
  const [loadAtStart] = os.loadavg();
  let next = 0;
  const cpuBeforeIssue = process.cpuUsage();
  const started = performance.now();
  await Promise.all(
    licenseIds.map(async (licenseId) => {
      while (next < ISSUANCES) {
        next += 1;
        await issue(licenseId);
      }
    }),
  );
  const issueSeconds = (performance.now() - started) / 1000;
  const issueCpu = process.cpuUsage(cpuBeforeIssue);
  // CPU time of this process per issuance (the database server's own work is not in it): on a machine shared with
  // other jobs, wall-clock figures mostly measure the queue for the CPU; this one does not.
  const issueCpuMs = (issueCpu.user + issueCpu.system) / 1000 / ISSUANCES;
  const issuancesPerSecond = ISSUANCES / issueSeconds;

  const doc = (await db().licenseCertificate.findFirstOrThrow({ orderBy: { createdAt: "desc" } })).licenseDocument;
  const verify = createLicenseDocumentVerifier(await getPublicJwks(["license"]));
  for (let i = 0; i < 2000; i++) await verify(doc);
  const cpuBeforeVerify = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < VERIFICATIONS; i++) {
    const v = await verify(doc);
    if (!v.valid) throw new Error(`verification failed: ${v.code}`);
  }
  const verifyMs = (performance.now() - t0) / VERIFICATIONS;
  const verifyCpu = process.cpuUsage(cpuBeforeVerify);
  const verifyCpuMs = (verifyCpu.user + verifyCpu.system) / 1000 / VERIFICATIONS;
  const [load1] = os.loadavg();

  console.log(
    `engine ${engineName}, ${os.cpus().length} cores, load average ${loadAtStart.toFixed(1)} before issuing, ${load1.toFixed(1)} at the end`,
  );
  console.log(
    "issuance = one issueLicenseCertificate call: PEM CSR parsed and its signature checked, license locked and read with the caller's role, certificate and license document built and signed, previous certificates retired and the new one stored, audit event appended, commit. The CPU figure is this process only (not the database server).",
  );
  console.log(
    "verification = one call of a verifier built once from the published JWKS: header checks, Ed25519 signature, claims schema, issuer and validity window.",
  );
  console.log(
    `issuance: ${ISSUANCES} certificates in ${issueSeconds.toFixed(2)} s with ${CONCURRENCY} concurrent requests = ${issuancesPerSecond.toFixed(0)}/s (target 200/s); ${issueCpuMs.toFixed(2)} ms of CPU in this process per issuance`,
  );
  console.log(
    `offline verification of a license document: ${(verifyMs * 1000).toFixed(1)} µs each over ${VERIFICATIONS} (target < 200 µs); ${(verifyCpuMs * 1000).toFixed(1)} µs of CPU each`,
  );
  console.log(
    JSON.stringify({
      bench: "licensing",
      engine: engineName,
      issuances: ISSUANCES,
      concurrency: CONCURRENCY,
      issuancesPerSecond: Math.round(issuancesPerSecond),
      issueCpuMsPerIssuance: Number(issueCpuMs.toFixed(3)),
      verifyMsPerDocument: Number(verifyMs.toFixed(4)),
      verifyCpuMsPerDocument: Number(verifyCpuMs.toFixed(4)),
      loadAverage: Number(load1.toFixed(1)),
      loadAverageAtStart: Number(loadAtStart.toFixed(1)),
      targets: { issuancesPerSecond: 200, verifyMsPerDocument: 0.2 },
    }),
  );
} finally {
  await closeDb();
  if (dbName) await dropDatabase(dbName);
  fs.rmSync(dataDir, { recursive: true, force: true });
}
process.exit(0);
