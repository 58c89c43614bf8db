import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { resetEnvForTests } from "@/lib/config/env";
import { clientAddressOf } from "@/lib/http/client-address";

/**
 * Issue 12: with TRUST_PROXY=1 the client address was the leftmost
 * X-Forwarded-For entry, which the client writes, so 60 of 60 requests passed
 * a per-address limit, each naming a new address. It is the entry the
 * outermost trusted proxy appended.
 */
const saved = { ...process.env };
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "gh-client-address-"));

function behind(vars: Record<string, string | undefined>) {
  for (const key of ["DATABASE_URL", "TRUST_PROXY", "TRUST_PROXY_HOPS"]) delete process.env[key];
  Object.assign(process.env, { NODE_ENV: "test", DATA_DIR: dataDir, PUBLIC_URL: "http://localhost:3000" });
  for (const [key, value] of Object.entries(vars)) if (value !== undefined) process.env[key] = value;
  resetEnvForTests();
}

const forwarded = (value: string) => new Headers({ "x-forwarded-for": value });

afterAll(() => {
  process.env = saved;
  resetEnvForTests();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe("the client address behind proxies", () => {
  it("takes the entry the one trusted proxy appended, whatever the client wrote before it", () => {
    behind({ TRUST_PROXY_HOPS: "1" });
    const seen = new Set<string | undefined>();
    for (let i = 0; i < 60; i++) seen.add(clientAddressOf(forwarded(`10.9.${i}.1, 198.51.100.7`)));
    expect([...seen]).toEqual(["198.51.100.7"]);
    expect(clientAddressOf(forwarded("198.51.100.7"))).toBe("198.51.100.7");
  });

  it("counts hops from the right: behind a CDN and a balancer, the CDN's entry", () => {
    behind({ TRUST_PROXY_HOPS: "2" });
    expect(clientAddressOf(forwarded("6.6.6.6, 203.0.113.5, 192.0.2.10"))).toBe("203.0.113.5");
    // Fewer entries than hops: the request skipped the outer proxy; the leftmost was still written by a trusted one.
    expect(clientAddressOf(forwarded("192.0.2.10"))).toBe("192.0.2.10");
  });

  it("keeps TRUST_PROXY=1 as one hop, and ignores the header with no proxy trusted", () => {
    behind({ TRUST_PROXY: "1" });
    expect(clientAddressOf(forwarded("6.6.6.6, 198.51.100.7"))).toBe("198.51.100.7");
    behind({});
    // No stamped peer address in these headers, and X-Forwarded-For is the client's own word: no address.
    expect(clientAddressOf(forwarded("198.51.100.7"))).toBeUndefined();
  });
});
