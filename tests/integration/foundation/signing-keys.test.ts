import { describe, expect, it } from "vitest";
import { SignJWT, jwtVerify, createLocalJWKSet } from "jose";
import { db } from "@/lib/db/client";
import { getActiveSigningKey } from "@/lib/keys/get-active-signing-key";
import { rotateSigningKey } from "@/lib/keys/rotate-signing-key";
import { getPublicJwks } from "@/lib/keys/get-public-jwks";
import { defined } from "../../support/defined";

async function sign(purpose: "oidc-es256" | "license") {
  const key = await getActiveSigningKey(purpose);
  const jwt = await new SignJWT({ hello: "world" })
    .setProtectedHeader({ alg: key.alg, kid: key.kid })
    .setIssuedAt()
    .sign(key.privateKey);
  return { jwt, kid: key.kid };
}

describe("signing keys", () => {
  it("makes a key on first use, keeps its private part sealed, and publishes only the public part", async () => {
    const { jwt, kid } = await sign("oidc-es256");
    const stored = await db().signingKey.findUniqueOrThrow({ where: { kid } });
    expect(stored.privateSealed).toMatch(/^v1\./);
    expect(stored.privateSealed).not.toContain("PRIVATE KEY");
    const jwks = await getPublicJwks(["oidc-es256"]);
    expect(jwks.keys.map((k) => k.kid)).toContain(kid);
    for (const k of jwks.keys) expect(k).not.toHaveProperty("d");
    await expect(jwtVerify(jwt, createLocalJWKSet(jwks))).resolves.toBeTruthy();
  });

  it("keeps one purpose's keys out of another's JWKS", async () => {
    const { kid } = await sign("license");
    expect((await getPublicJwks(["oidc-es256"])).keys.map((k) => k.kid)).not.toContain(kid);
  });

  it("rotates with overlap: the old key stops signing but still verifies", async () => {
    const before = await sign("oidc-es256");
    await rotateSigningKey({ purpose: "oidc-es256", actor: { type: "system", id: "test" } });
    const after = await sign("oidc-es256");
    expect(after.kid).not.toBe(before.kid);
    const jwks = createLocalJWKSet(await getPublicJwks(["oidc-es256"]));
    await expect(jwtVerify(before.jwt, jwks)).resolves.toBeTruthy();
    await expect(jwtVerify(after.jwt, jwks)).resolves.toBeTruthy();
    const old = await db().signingKey.findUniqueOrThrow({ where: { kid: before.kid } });
    expect(old.retiredAt).not.toBeNull();
    expect(defined(old.removeAfter).getTime()).toBeGreaterThan(Date.now());
    const events = await db().auditEvent.findMany({
      where: { subjectId: { in: [before.kid, after.kid] } },
      select: { action: true },
    });
    expect(events.map((e) => e.action).sort()).toEqual([
      "signing_key.created",
      "signing_key.created",
      "signing_key.retired",
    ]);
  });

  it("drops a retired key from the JWKS once its overlap has passed", async () => {
    const { kid } = await sign("oidc-es256");
    await rotateSigningKey({ purpose: "oidc-es256", actor: { type: "system", id: "test" } });
    await db().signingKey.update({ where: { kid }, data: { removeAfter: new Date(Date.now() - 1000) } });
    expect((await getPublicJwks(["oidc-es256"])).keys.map((k) => k.kid)).not.toContain(kid);
  });

  it("rotates by age when the active key is older than its purpose allows", async () => {
    const { kid } = await sign("oidc-es256");
    await db().signingKey.update({ where: { kid }, data: { createdAt: new Date(Date.now() - 400 * 86_400_000) } });
    const { kid: next } = await sign("oidc-es256");
    expect(next).not.toBe(kid);
  });
});
