// `npm run bench:auth`: how long the sign-in paths take on this machine, end to
// end through the domain functions and a real database (a fresh embedded one,
// or DATABASE_URL's). Prints figures; it asserts nothing.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { defined } from "../tests/support/defined";

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "gh-bench-auth-"));
Object.assign(process.env, { DATA_DIR: dataDir, SEED_DEMO: "0", LOG_LEVEL: "silent", RATE_LIMIT_FACTOR: "1000" });

const { prepareDatabase } = await import("@/lib/db/prepare-database");
const { db } = await import("@/lib/db/client");
const { closeDb } = await import("@/lib/db/close-db");
const { env } = await import("@/lib/config/env");
const { startSignUp } = await import("@/lib/auth/start-sign-up");
const { completeSignUp } = await import("@/lib/auth/complete-sign-up");
const { startPasskeySignIn } = await import("@/lib/auth/start-passkey-sign-in");
const { verifyPasskeySignIn } = await import("@/lib/auth/verify-passkey-sign-in");
const { requestEmailCode } = await import("@/lib/auth/request-email-code");
const { verifyEmailCode } = await import("@/lib/auth/verify-email-code");
const { createSession, findSessionByToken } = await import("@/lib/auth/sessions");
const { SoftAuthenticator } = await import("../tests/support/soft-authenticator");
const { openedMail } = await import("../tests/support/mail");

async function measure(label: string, runs: number, fn: (i: number) => Promise<void>) {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn(i);
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))].toFixed(1);
  const total = times.reduce((a, b) => a + b, 0);
  console.log(
    `${label.padEnd(34)} runs ${String(runs).padStart(4)}  p50 ${at(0.5).padStart(6)} ms  p95 ${at(0.95).padStart(6)} ms  ${((runs / total) * 1000).toFixed(1).padStart(6)} /s`,
  );
}

// The portal's effects, fulfillers, session-end hooks and claim sources, as startPortal installs them.
(await import("@/lib/composition/composition")).installComposition(
  (await import("@/lib/composition/portal-composition")).portalComposition,
);
await prepareDatabase();
console.log(`engine: ${env().embedded ? "embedded PGlite" : "Postgres"}`);
const authenticators: InstanceType<typeof SoftAuthenticator>[] = [];

await measure("passkey sign-up (options+verify)", 50, async (i) => {
  const a = new SoftAuthenticator(env().publicUrl);
  const email = `bench-${i}-${Date.now()}@example.test`;
  const options = await startSignUp({ email, name: "Bench" });
  await completeSignUp({ email, name: "Bench", responseJson: JSON.stringify(a.register(options)) });
  authenticators.push(a);
});

await measure("passkey sign-in (options+verify)", 200, async (i) => {
  const a = authenticators[i % authenticators.length];
  const options = await startPasskeySignIn({});
  await verifyPasskeySignIn({ responseJson: JSON.stringify(a.authenticate(options)) });
});

await measure("email code (request+verify)", 100, async (i) => {
  const email = `code-${i}-${Date.now()}@example.test`;
  const binding = `bench-binding-${String(i).padStart(30, "0")}`;
  await requestEmailCode({ email, binding });
  const mail = await db().mailMessage.findFirstOrThrow({ where: { to: email } });
  await verifyEmailCode({
    email,
    binding,
    createAccount: true,
    code: defined(openedMail(mail).text.match(/\b(\d{6})\b/))[1],
  });
});

const user = await db().user.findFirstOrThrow();
const token = await createSession({ userId: user.id, authMethod: "passkey" });
await measure("session lookup per request", 1000, async () => {
  await findSessionByToken(token);
});

await closeDb();
fs.rmSync(dataDir, { recursive: true, force: true });
process.exit(0);
