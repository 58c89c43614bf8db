import { describe, expect, it } from "vitest";
import { decodeProtectedHeader } from "jose";
import { rotateSigningKey } from "@/lib/keys/rotate-signing-key";
import { createClientFromCli } from "@/lib/oidc/clients/create-client-from-cli";
import { grantClientCredentials } from "@/lib/oidc/tokens/grant-client-credentials";
import { forgetOidcKeys, oidcJwks } from "@/lib/oidc/signing";
import { verifyAccessToken } from "@/lib/oidc/verify-access-token";
import { db } from "@/lib/db/client";
import { defined } from "../../support/defined";

describe("signing key rotation", () => {
  it("signs with the new key at once in this process, keeps the old one published, and old tokens still verify", async () => {
    const { client } = await createClientFromCli({
      name: "Rotation",
      redirectUris: [],
      grants: ["client_credentials"],
      scopes: ["tickets:write"],
      postLogoutRedirectUris: [],
    });
    const before = await grantClientCredentials(client, {});
    const oldKid = decodeProtectedHeader(before.access_token).kid;
    await rotateSigningKey({ purpose: "oidc-rs256", actor: { type: "system", id: "test" } });
    forgetOidcKeys();
    const after = await grantClientCredentials(client, {});
    const newKid = decodeProtectedHeader(after.access_token).kid;
    expect(newKid).not.toBe(oldKid);
    const kids = (await oidcJwks()).keys.map((k) => k.kid);
    expect(kids).toEqual(expect.arrayContaining([oldKid, newKid]));
    expect((await verifyAccessToken(before.access_token)).clientId).toBe(client.id);
    expect((await verifyAccessToken(after.access_token)).clientId).toBe(client.id);
    const retired = await db().signingKey.findUniqueOrThrow({ where: { kid: defined(oldKid) } });
    expect(retired.retiredAt).not.toBeNull();
    expect(defined(retired.removeAfter).getTime()).toBeGreaterThan(Date.now());
  });
});
