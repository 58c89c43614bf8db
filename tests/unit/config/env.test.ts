import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ConfigError, parseEnv as parseProcessEnv } from "@/lib/config/env";

// Next's types make NODE_ENV a required key of ProcessEnv; these sources omit it on purpose.
const parseEnv = (source: Record<string, string | undefined>) => parseProcessEnv(source as NodeJS.ProcessEnv);

const dirs: string[] = [];
function tempDir(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), "gh-env-"));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

const production = {
  NODE_ENV: "production",
  DATABASE_URL: "postgres://guildhall@db.internal:5432/guildhall",
  AUTH_SECRET: "a".repeat(40),
  MASTER_KEY: Buffer.alloc(32, 1).toString("base64"),
  PUBLIC_URL: "https://guildhall.example.org/",
  STRIPE_SECRET_KEY: "sk_live_example",
  STRIPE_WEBHOOK_SECRET: "whsec_example",
};

describe("parseEnv in production (NODE_ENV=production with DATABASE_URL)", () => {
  it("accepts a complete environment and writes no secrets file", () => {
    const dir = tempDir();
    const e = parseEnv({ ...production, DATA_DIR: dir });
    expect(e).toMatchObject({
      production: true,
      embedded: false,
      publicUrl: "https://guildhall.example.org",
      authSecret: "a".repeat(40),
    });
    expect(e.masterKey.equals(Buffer.alloc(32, 1))).toBe(true);
    expect(fs.existsSync(path.join(dir, "secrets.json"))).toBe(false);
  });

  it("stops without a Stripe key unless the simulated checkout is chosen on purpose", () => {
    const dir = tempDir();
    const { STRIPE_SECRET_KEY: _key, STRIPE_WEBHOOK_SECRET: _secret, ...withoutStripe } = production;
    expect(() => parseEnv({ ...withoutStripe, DATA_DIR: dir })).toThrow(
      /^Missing environment variable STRIPE_SECRET_KEY/,
    );
    expect(parseEnv({ ...withoutStripe, DATA_DIR: dir, PAYMENTS_PROVIDER: "simulated" }).production).toBe(true);
  });

  it("refuses STRIPE_API_BASE in production unless it is allowed on purpose", () => {
    const dir = tempDir();
    const elsewhere = { ...production, DATA_DIR: dir, STRIPE_API_BASE: "http://127.0.0.1:12111" };
    expect(() => parseEnv(elsewhere)).toThrow(/^STRIPE_API_BASE is set in production/);
    expect(parseEnv({ ...elsewhere, STRIPE_API_BASE_ALLOWED: "1" }).stripeApiBase).toBe("http://127.0.0.1:12111");
    expect(parseEnv({ ...elsewhere, NODE_ENV: "test" }).stripeApiBase).toBe("http://127.0.0.1:12111");
  });

  for (const name of ["AUTH_SECRET", "MASTER_KEY", "PUBLIC_URL"] as const) {
    it(`stops with a message naming ${name} when it is missing`, () => {
      const dir = tempDir();
      const source: Record<string, string> = { ...production, DATA_DIR: dir };
      delete source[name];
      expect(() => parseEnv(source)).toThrow(ConfigError);
      expect(() => parseEnv(source)).toThrow(`Missing environment variable ${name}: it is required in production`);
      expect(fs.existsSync(path.join(dir, "secrets.json"))).toBe(false);
    });
  }

  it("names the variable that is malformed", () => {
    expect(() => parseEnv({ ...production, MASTER_KEY: "c2hvcnQ=" })).toThrow(
      "Invalid environment variable MASTER_KEY: must be 32 bytes, base64-encoded",
    );
    expect(() => parseEnv({ ...production, AUTH_SECRET: "short" })).toThrow(
      "Invalid environment variable AUTH_SECRET: must be at least 32 characters",
    );
    expect(() => parseEnv({ ...production, DATABASE_URL: "not a url" })).toThrow(
      "Invalid environment variable DATABASE_URL",
    );
    expect(() => parseEnv({ ...production, PORT: "70000" })).toThrow("Invalid environment variable PORT");
  });
});

describe("OIDC_FAST_LANE", () => {
  it("is on unless set to 0, and any other value stops the start", () => {
    expect(parseEnv(production).oidcFastLane).toBe(true);
    expect(parseEnv({ ...production, OIDC_FAST_LANE: "0" }).oidcFastLane).toBe(false);
    expect(() => parseEnv({ ...production, OIDC_FAST_LANE: "off" })).toThrow(
      /^Invalid environment variable OIDC_FAST_LANE/,
    );
  });
});

describe("SEED_DEMO", () => {
  it("seeds the demo on the embedded database unless set to 0, and on a database server only when set to 1", () => {
    const dir = tempDir();
    const embedded = { NODE_ENV: "development", DATA_DIR: dir };
    expect(parseEnv(embedded).seedDemo).toBe(true);
    expect(parseEnv({ ...embedded, SEED_DEMO: "0" }).seedDemo).toBe(false);
    const server = { ...embedded, DATABASE_URL: production.DATABASE_URL };
    expect(parseEnv(server).seedDemo).toBe(false);
    expect(parseEnv({ ...server, SEED_DEMO: "1" }).seedDemo).toBe(true);
    expect(parseEnv(production).seedDemo).toBe(false);
    expect(() => parseEnv({ ...server, SEED_DEMO: "yes" })).toThrow(/^Invalid environment variable SEED_DEMO/);
  });
});

describe("LOG_WITNESS_TIMEOUT_MS", () => {
  it("waits 5 s for a witness unless set, and a value outside 100 ms to 10 min stops the start", () => {
    const dir = tempDir();
    expect(parseEnv({ ...production, DATA_DIR: dir }).logWitnessTimeoutMs).toBe(5_000);
    expect(parseEnv({ ...production, DATA_DIR: dir, LOG_WITNESS_TIMEOUT_MS: "60000" }).logWitnessTimeoutMs).toBe(
      60_000,
    );
    for (const bad of ["50", "600001", "soon"])
      expect(() => parseEnv({ ...production, DATA_DIR: dir, LOG_WITNESS_TIMEOUT_MS: bad })).toThrow(
        /^Invalid environment variable LOG_WITNESS_TIMEOUT_MS/,
      );
  });
});

describe("parseEnv in embedded mode", () => {
  it("generates secrets once into DATA_DIR/secrets.json (mode 600) and reuses them", () => {
    const dir = tempDir();
    const first = parseEnv({ DATA_DIR: dir });
    expect(first).toMatchObject({ production: false, embedded: true, publicUrl: "http://localhost:3000" });
    const file = path.join(dir, "secrets.json");
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(first.authSecret.length).toBeGreaterThanOrEqual(32);
    expect(first.masterKey).toHaveLength(32);

    const second = parseEnv({ DATA_DIR: dir, PORT: "4000" });
    expect(second.authSecret).toBe(first.authSecret);
    expect(second.masterKey.equals(first.masterKey)).toBe(true);
    expect(second.publicUrl).toBe("http://localhost:4000");

    const other = parseEnv({ DATA_DIR: tempDir() });
    expect(other.authSecret).not.toBe(first.authSecret);
  });

  it("prefers secrets given in the environment, and generates only in non-production runs", () => {
    const dir = tempDir();
    const e = parseEnv({
      DATA_DIR: dir,
      AUTH_SECRET: "b".repeat(32),
      MASTER_KEY: Buffer.alloc(32, 2).toString("base64"),
    });
    expect(e.authSecret).toBe("b".repeat(32));
    expect(fs.existsSync(path.join(dir, "secrets.json"))).toBe(false);
    // NODE_ENV=production without DATABASE_URL is the embedded quick start (`npm start`): it still generates.
    const started = parseEnv({ NODE_ENV: "production", DATA_DIR: dir });
    expect(started).toMatchObject({ production: false, embedded: true });
  });
});
