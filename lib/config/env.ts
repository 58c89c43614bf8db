import "server-only";
import fs from "node:fs";
import path from "node:path";
import crypto from "node:crypto";
import { z } from "zod";

/**
 * The environment, read once and validated. Two modes:
 * - embedded (no DATABASE_URL, or any non-production run): missing secrets are
 *   generated once and kept in DATA_DIR/secrets.json, so a fresh clone starts;
 * - production (NODE_ENV=production with DATABASE_URL set): every secret must be
 *   given, and a missing one stops the start with a message naming it.
 */
const base64Key32 = z
  .string()
  .refine((v) => Buffer.from(v, "base64").length === 32, "must be 32 bytes, base64-encoded");

const envSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  DATABASE_URL: z.url().optional(),
  DATA_DIR: z.string().default(".data"),
  PUBLIC_URL: z.url().optional(),
  AUTH_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
  MASTER_KEY: base64Key32.optional(),
  SMTP_URL: z.url().optional(),
  MAIL_FROM: z.string().default("Guildhall <no-reply@guildhall.localhost>"),
  STRIPE_SECRET_KEY: z.string().optional(),
  STRIPE_WEBHOOK_SECRET: z.string().optional(),
  PAYMENTS_PROVIDER: z.enum(["stripe", "simulated"]).optional(),
  STRIPE_API_BASE: z.url().optional(),
  // Production sends payments to STRIPE_API_BASE only when this says so on purpose (a proxy of one's own).
  STRIPE_API_BASE_ALLOWED: z.enum(["0", "1"]).default("0"),
  // The Connect endpoint's own secret: connected accounts' events (account.updated, their payouts) come there.
  STRIPE_CONNECT_WEBHOOK_SECRET: z.string().optional(),
  // The country of a payee's connected account when the person connecting it does not choose one.
  STRIPE_CONNECT_COUNTRY: z
    .string()
    .regex(/^[A-Z]{2}$/, "an ISO 3166-1 alpha-2 code, upper case")
    .optional(),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  // Unset: the embedded database seeds the demo (a fresh clone shows something), a database server does not (a real
  // organization must not get demo accounts it did not ask for).
  SEED_DEMO: z.enum(["0", "1"]).optional(),
  GUILDHALL_TEST_CLOCK: z.enum(["0", "1"]).default("0"),
  // Behind proxies: how many of them append to X-Forwarded-For (lib/http/client-address.ts). TRUST_PROXY=1, the
  // older switch, means one.
  TRUST_PROXY_HOPS: z.coerce.number().int().min(0).max(10).optional(),
  TRUST_PROXY: z.enum(["0", "1"]).default("0"),
  // Multiplies every rate limit; only for test servers whose one client address makes many sign-ins.
  RATE_LIMIT_FACTOR: z.coerce.number().int().min(1).max(1000).default(1),
  // 0 sends the hot OIDC requests through Next's router too (lib/protocol-fast-lane/install-protocol-fast-lane.ts).
  OIDC_FAST_LANE: z.enum(["0", "1"]).default("1"),
  // Operations (docs/DEPLOY.md): Prometheus metrics on a port of their own, migrations at start or by a job, shutdown bounds.
  METRICS_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  METRICS_HOST: z.string().default("127.0.0.1"),
  MIGRATE_AT_START: z.enum(["0", "1"]).default("1"),
  SHUTDOWN_DELAY_MS: z.coerce.number().int().min(0).max(60_000).default(0),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(1000).max(600_000).default(20_000),
  OTEL_EXPORTER_OTLP_ENDPOINT: z.url().optional(),
  // The transparency log's origin line (docs/LOG.md); by default the public URL's host and /log.
  LOG_ORIGIN: z
    .string()
    .regex(/^[^\s+]+$/, "no spaces or plus signs")
    .optional(),
  // How many admitted hosts' witnesses must cosign a checkpoint before it is published as witnessed
  // (docs/LOG.md); by default a majority of the witnesses that count.
  LOG_WITNESS_QUORUM: z.coerce.number().int().min(0).max(100).optional(),
  // How long the witnessing step waits for one witness's answer before it counts as failed (docs/LOG.md).
  LOG_WITNESS_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(5_000),
});

export type Env = {
  nodeEnv: "development" | "production" | "test";
  production: boolean;
  embedded: boolean;
  port: number;
  databaseUrl: string | undefined;
  dataDir: string;
  publicUrl: string;
  authSecret: string;
  masterKey: Buffer;
  smtpUrl: string | undefined;
  mailFrom: string;
  stripeSecretKey: string | undefined;
  stripeWebhookSecret: string | undefined;
  stripeApiBase: string | undefined;
  stripeConnectWebhookSecret: string | undefined;
  stripeConnectCountry: string | undefined;
  logLevel: string;
  /** SEED_DEMO, or when unset whether the database is the embedded one. */
  seedDemo: boolean;
  /** Governance reads its clock offset from the database (lib/governance/clock.ts); tests only. */
  testClock: boolean;
  rateLimitFactor: number;
  /** How many proxies in front append to X-Forwarded-For; 0 = clients connect directly. */
  trustProxyHops: number;
  /** The production server answers discovery, JWKS, token and userinfo before Next's router (docs/oidc.md). */
  oidcFastLane: boolean;
  /** Prometheus metrics served on this port (and host) apart from the portal; unset = none. */
  metricsPort: number | undefined;
  metricsHost: string;
  /** False when a separate job migrates (Kubernetes): the instance then waits, not ready, until none is pending. */
  migrateAtStart: boolean;
  /** On SIGTERM: how long to keep serving while readiness says no, then the bound on the whole shutdown. */
  shutdownDelayMs: number;
  shutdownTimeoutMs: number;
  /** OpenTelemetry tracing is on only when an OTLP endpoint is given. */
  otlpEndpoint: string | undefined;
  logOrigin: string | undefined;
  logWitnessQuorum: number | undefined;
  /** The wait for one witness's answer to a checkpoint; a slower witness is asked again in a later round. */
  logWitnessTimeoutMs: number;
};

export class ConfigError extends Error {}

type GeneratedSecrets = { AUTH_SECRET: string; MASTER_KEY: string };

function loadOrCreateDevSecrets(dataDir: string): GeneratedSecrets {
  const file = path.join(dataDir, "secrets.json");
  if (fs.existsSync(file)) return JSON.parse(fs.readFileSync(file, "utf8")) as GeneratedSecrets;
  fs.mkdirSync(dataDir, { recursive: true });
  const secrets: GeneratedSecrets = {
    AUTH_SECRET: crypto.randomBytes(32).toString("base64url"),
    MASTER_KEY: crypto.randomBytes(32).toString("base64"),
  };
  // "wx" so that two processes starting at once cannot overwrite each other's secrets.
  try {
    fs.writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600, flag: "wx" });
  } catch {
    return JSON.parse(fs.readFileSync(file, "utf8")) as GeneratedSecrets;
  }
  return secrets;
}

/** The data directory an environment names (DATA_DIR, or its default), as an absolute path. */
export function dataDirOf(source: Record<string, string | undefined>): string {
  return path.resolve(envSchema.shape.DATA_DIR.parse(source.DATA_DIR));
}

export function parseEnv(source: NodeJS.ProcessEnv): Env {
  const parsed = envSchema.safeParse(source);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new ConfigError(`Invalid environment variable ${String(first.path[0])}: ${first.message}`);
  }
  const e = parsed.data;
  const production = e.NODE_ENV === "production" && e.DATABASE_URL !== undefined;
  const dataDir = dataDirOf(source);

  let authSecret = e.AUTH_SECRET;
  let masterKey = e.MASTER_KEY;
  if (production) {
    for (const [name, value] of [
      ["AUTH_SECRET", authSecret],
      ["MASTER_KEY", masterKey],
      ["PUBLIC_URL", e.PUBLIC_URL],
    ] as const) {
      if (!value)
        throw new ConfigError(
          `Missing environment variable ${name}: it is required in production (DATABASE_URL is set and NODE_ENV=production).`,
        );
    }
    // Without Stripe the simulated checkout accepts test cards: in production
    // that must be a stated choice (a staging portal), never an accident.
    if (!e.STRIPE_SECRET_KEY && e.PAYMENTS_PROVIDER !== "simulated") {
      throw new ConfigError(
        "Missing environment variable STRIPE_SECRET_KEY: it is required in production (or set PAYMENTS_PROVIDER=simulated to run the simulated checkout on purpose).",
      );
    }
    // Another API base in production would send every charge, refund and transfer, with the secret key, to
    // whoever answers there: only a stated choice, never a variable left over from a test setup.
    if (e.STRIPE_API_BASE && e.STRIPE_API_BASE_ALLOWED !== "1") {
      throw new ConfigError(
        "STRIPE_API_BASE is set in production: Stripe calls and the secret key would go there. Unset it, or set STRIPE_API_BASE_ALLOWED=1 if that is meant.",
      );
    }
    // A Stripe key without the webhook secret would take payments that are never recorded as paid.
    if (e.STRIPE_SECRET_KEY && !e.STRIPE_WEBHOOK_SECRET) {
      throw new ConfigError(
        "Missing environment variable STRIPE_WEBHOOK_SECRET: it is required when STRIPE_SECRET_KEY is set in production.",
      );
    }
  } else if (!authSecret || !masterKey) {
    const generated = loadOrCreateDevSecrets(dataDir);
    authSecret ??= generated.AUTH_SECRET;
    masterKey ??= generated.MASTER_KEY;
  }
  // Unreachable: required in production above, generated otherwise; the check tells the type so.
  if (!authSecret || !masterKey) throw new ConfigError("AUTH_SECRET and MASTER_KEY are missing.");

  return {
    nodeEnv: e.NODE_ENV,
    production,
    embedded: e.DATABASE_URL === undefined,
    port: e.PORT,
    databaseUrl: e.DATABASE_URL,
    dataDir,
    publicUrl: (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, ""),
    authSecret,
    masterKey: Buffer.from(masterKey, "base64"),
    smtpUrl: e.SMTP_URL,
    mailFrom: e.MAIL_FROM,
    stripeSecretKey: e.STRIPE_SECRET_KEY,
    stripeWebhookSecret: e.STRIPE_WEBHOOK_SECRET,
    stripeApiBase: e.STRIPE_API_BASE,
    stripeConnectWebhookSecret: e.STRIPE_CONNECT_WEBHOOK_SECRET,
    stripeConnectCountry: e.STRIPE_CONNECT_COUNTRY,
    logLevel: e.LOG_LEVEL,
    seedDemo: e.SEED_DEMO === undefined ? e.DATABASE_URL === undefined : e.SEED_DEMO === "1",
    testClock: e.GUILDHALL_TEST_CLOCK === "1",
    rateLimitFactor: e.RATE_LIMIT_FACTOR,
    trustProxyHops: e.TRUST_PROXY_HOPS ?? (e.TRUST_PROXY === "1" ? 1 : 0),
    oidcFastLane: e.OIDC_FAST_LANE === "1",
    metricsPort: e.METRICS_PORT,
    metricsHost: e.METRICS_HOST,
    migrateAtStart: e.MIGRATE_AT_START === "1",
    shutdownDelayMs: e.SHUTDOWN_DELAY_MS,
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    otlpEndpoint: e.OTEL_EXPORTER_OTLP_ENDPOINT,
    logOrigin: e.LOG_ORIGIN,
    logWitnessQuorum: e.LOG_WITNESS_QUORUM,
    logWitnessTimeoutMs: e.LOG_WITNESS_TIMEOUT_MS,
  };
}

let cached: Env | undefined;

/** The validated environment of this process; parsed on first use. */
export function env(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}

/** For tests that start a second configuration in the same process. */
export function resetEnvForTests(): void {
  cached = undefined;
}
