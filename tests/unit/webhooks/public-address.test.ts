import { describe, expect, it } from "vitest";
import type { LookupAddress } from "node:dns";
import {
  isNonPublicAddress,
  nonPublicAddressOf,
  NonPublicAddressError,
  publicOnlyLookup,
} from "@/lib/webhooks/public-address";
import { retryAfterOf } from "@/lib/webhooks/deliver-webhook";

describe("where webhooks may go", () => {
  it("tells private networks' addresses from public ones", () => {
    for (const a of [
      "10.1.2.3",
      "172.31.0.1",
      "192.168.1.1",
      "127.0.0.1",
      "169.254.169.254",
      "100.64.0.1",
      "0.0.0.0",
      "224.0.0.1",
      "255.255.255.255",
      "::1",
      "::",
      "fd00::1",
      "fe80::1",
      "::ffff:10.0.0.1",
      "64:ff9b::a00:1",
    ])
      expect(isNonPublicAddress(a), a).toBe(true);
    for (const a of ["93.184.216.34", "8.8.8.8", "172.32.0.1", "2606:4700::1111", "::ffff:8.8.8.8"])
      expect(isNonPublicAddress(a), a).toBe(false);
  });

  it("refuses a name that resolves to one, when subscribing", async () => {
    const resolvingTo = (address: string) => async () => [{ address, family: 4 } as LookupAddress];
    expect(await nonPublicAddressOf("hooks.example.org", resolvingTo("10.0.0.7"))).toBe("10.0.0.7");
    expect(await nonPublicAddressOf("hooks.example.org", resolvingTo("93.184.216.34"))).toBeNull();
    // Not resolving (yet) is left to each delivery's own check; loopback named literally is the tests' and laptops'.
    expect(
      await nonPublicAddressOf("hooks.example.org", async () => {
        throw new Error("ENOTFOUND");
      }),
    ).toBeNull();
    expect(await nonPublicAddressOf("localhost")).toBeNull();
    expect(await nonPublicAddressOf("[fd00::1]")).toBe("fd00::1");
  });

  it("refuses it again when a delivery connects", async () => {
    // `localhost` resolves to loopback everywhere; a delivery uses this lookup for every name but loopback literals.
    const err = await new Promise<Error | null>((resolve) => publicOnlyLookup("localhost", {}, (e) => resolve(e)));
    expect(err).toBeInstanceOf(NonPublicAddressError);
  });

  it("reads a receiver's Retry-After on a 429 or a 503, within six hours", () => {
    const now = Date.parse("2026-12-06T10:00:00Z");
    expect(retryAfterOf(503, "120", now)?.getTime()).toBe(now + 120_000);
    expect(retryAfterOf(429, "Sun, 06 Dec 2026 10:05:00 GMT", now)?.getTime()).toBe(now + 300_000);
    expect(retryAfterOf(503, "999999", now)?.getTime()).toBe(now + 6 * 3_600_000);
    expect(retryAfterOf(500, "120", now)).toBeNull();
    expect(retryAfterOf(503, "soon", now)).toBeNull();
    expect(retryAfterOf(503, undefined, now)).toBeNull();
  });
});
