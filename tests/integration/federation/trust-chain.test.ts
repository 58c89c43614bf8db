import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decodeJwt, decodeProtectedHeader, exportJWK, generateKeyPair, SignJWT, type JWK } from "jose";
import { env } from "@/lib/config/env";
import { seedOrg } from "@/tests/support/factories";
import { seedVoter, useTestClock, type Voter } from "@/tests/integration/governance/helpers";
import { ChainError, validateTrustChain } from "@/tests/support/federation-chain";
import { GET as getEntityConfiguration } from "@/app/.well-known/openid-federation/route";
import { GET as fetchStatement } from "@/app/federation/fetch/route";
import { GET as listEntities } from "@/app/federation/list/route";
import { GET as resolveEntity } from "@/app/federation/resolve/route";
import { GET as getTrustMark } from "@/app/federation/trust-mark/route";
import { POST as trustMarkStatus } from "@/app/federation/trust-mark-status/route";
import { makeHostDeclaration, passProposal } from "./helpers";
import { startHostEntity } from "./host-entity";

useTestClock();

const ctx = { params: Promise.resolve({}) };
const get = (
  handler: (req: Request, c: { params: Promise<Record<string, never>> }) => Response | Promise<Response>,
  path: string,
  query: Record<string, string> = {},
) => handler(new Request(`http://localhost${path}?${new URLSearchParams(query)}`), ctx);

async function anchorConfiguration() {
  const res = await get(getEntityConfiguration, "/.well-known/openid-federation");
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toBe("application/entity-statement+jwt");
  const jwt = await res.text();
  return { jwt, claims: decodeJwt(jwt) };
}

async function statusOf(trustMark: string) {
  const res = await trustMarkStatus(
    new Request("http://localhost/federation/trust-mark-status", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ trust_mark: trustMark }),
    }),
    ctx,
  );
  expect(res.headers.get("content-type")).toBe("application/trust-mark-status-response+jwt");
  return decodeJwt(await res.text()).status;
}

describe("Guildhall as an OpenID Federation trust anchor", () => {
  let voters: Voter[];
  let host: Awaited<ReturnType<typeof startHostEntity>>;
  let keys: Awaited<ReturnType<typeof makeHostDeclaration>>;
  let hostOrgId: string;
  const anchor = () => env().publicUrl;
  const relyingParty = (entityId: string) => ({
    client_name: "A host",
    redirect_uris: [`${entityId}/cb`, "https://elsewhere.example/cb"],
    grant_types: ["authorization_code", "refresh_token", "implicit"],
    scope: "openid email tickets:write admin:everything",
    token_endpoint_auth_method: "private_key_jwt",
  });

  beforeAll(async () => {
    voters = [await seedVoter(), await seedVoter(), await seedVoter()];
    host = await startHostEntity();
    keys = await makeHostDeclaration();
    const { org } = await seedOrg({ kind: "HOST" });
    hostOrgId = org.id;
    await passProposal(voters, {
      kind: "host_admission",
      title: "Admit the loopback host",
      content: {
        hostOrgId,
        reason: "Test host",
        federation: { ...keys.declaration, entityId: host.entityId, redirectUris: [`${host.entityId}/cb`] },
      },
    });
    await host.publish({
      key: keys.privateKey,
      kid: keys.kid,
      jwks: [keys.publicJwk as JWK],
      anchor: anchor(),
      relyingParty: relyingParty(host.entityId),
    });
  });
  afterAll(async () => host?.close());

  it("publishes its entity configuration: self-signed, typed, with the federation endpoints and OP metadata", async () => {
    const { jwt, claims } = await anchorConfiguration();
    expect(decodeProtectedHeader(jwt)).toMatchObject({ typ: "entity-statement+jwt", alg: "ES256" });
    expect(claims.iss).toBe(anchor());
    expect(claims.sub).toBe(anchor());
    expect(claims.authority_hints).toBeUndefined();
    const metadata = claims.metadata as Record<string, Record<string, unknown>>;
    expect(metadata.federation_entity.federation_fetch_endpoint).toBe(`${anchor()}/federation/fetch`);
    expect(metadata.openid_provider.issuer).toBe(anchor());
  });

  it("a trust chain from the host's configuration to the anchor validates, and the policy constrains the metadata", async () => {
    const { jwt: anchorJwt, claims } = await anchorConfiguration();
    const pinned = { entityId: anchor(), jwks: claims.jwks as { keys: JWK[] } };
    const statement = await get(fetchStatement, "/federation/fetch", { sub: host.entityId });
    expect(statement.status).toBe(200);
    const ec = await (await fetch(`${host.entityId}/.well-known/openid-federation`)).text();
    const chain = [ec, await statement.text(), anchorJwt];
    const resolved = await validateTrustChain(chain, pinned);
    expect(resolved.subject).toBe(host.entityId);
    expect(resolved.metadata.openid_relying_party).toMatchObject({
      redirect_uris: [`${host.entityId}/cb`],
      grant_types: ["authorization_code", "refresh_token"],
      scope: "openid email tickets:write",
    });

    // The portal's own resolver answers the same, signed, with the chain and the admitted-host trust mark.
    const res = await get(resolveEntity, "/federation/resolve", { sub: host.entityId, trust_anchor: anchor() });
    expect(res.status).toBe(200);
    const answer = decodeJwt(await res.text());
    expect(answer.metadata).toEqual(resolved.metadata);
    await validateTrustChain(answer.trust_chain as string[], pinned);
    const [mark] = answer.trust_marks as { trust_mark: string }[];
    expect(await statusOf(mark.trust_mark)).toBe("active");

    // Expired: the same chain an hour and a minute later.
    await expect(validateTrustChain(chain, pinned, new Date(Date.now() + 3660_000))).rejects.toThrow(/expired/);
    // Forged: a subordinate statement signed by someone else's key.
    const forger = await generateKeyPair("ES256");
    const forged = await new SignJWT(decodeJwt(chain[1]))
      .setProtectedHeader({
        alg: "ES256",
        kid: String(decodeProtectedHeader(chain[1]).kid),
        typ: "entity-statement+jwt",
      })
      .sign(forger.privateKey);
    await expect(validateTrustChain([ec, forged, anchorJwt], pinned)).rejects.toThrow(ChainError);
    // Another trust anchor.
    await expect(validateTrustChain(chain, { ...pinned, entityId: "https://other.example" })).rejects.toThrow(
      /another trust anchor/,
    );
  });

  it("refuses a host key that is not the admitted one, a policy violation and an unknown trust anchor", async () => {
    const impostor = await generateKeyPair("ES256", { extractable: true });
    const impostorJwk = { ...(await exportJWK(impostor.publicKey)), kid: "impostor", alg: "ES256" };
    await host.publish({
      key: impostor.privateKey,
      kid: "impostor",
      jwks: [impostorJwk],
      anchor: anchor(),
      relyingParty: relyingParty(host.entityId),
    });
    const notAdmitted = await get(resolveEntity, "/federation/resolve", { sub: host.entityId, trust_anchor: anchor() });
    expect(notAdmitted.status).toBe(400);
    expect(await notAdmitted.json()).toMatchObject({
      error: "invalid_trust_chain",
      error_description: expect.stringMatching(/admitted key/),
    });

    await host.publish({
      key: keys.privateKey,
      kid: keys.kid,
      jwks: [keys.publicJwk as JWK],
      anchor: anchor(),
      relyingParty: { ...relyingParty(host.entityId), redirect_uris: ["https://elsewhere.example/cb"] },
    });
    const violation = await get(resolveEntity, "/federation/resolve", { sub: host.entityId, trust_anchor: anchor() });
    expect(violation.status).toBe(400);
    expect((await violation.json()).error).toBe("invalid_metadata");

    const unknownAnchor = await get(resolveEntity, "/federation/resolve", {
      sub: host.entityId,
      trust_anchor: "https://other.example",
    });
    expect(unknownAnchor.status).toBe(404);
    expect((await unknownAnchor.json()).error).toBe("invalid_trust_anchor");
    expect((await get(fetchStatement, "/federation/fetch", {})).status).toBe(400);
    expect((await get(listEntities, "/federation/list", { colour: "blue" })).status).toBe(400);
  });

  it("a removal vote takes the host out: fetch and resolve answer not_found, the list drops it, its trust mark is revoked", async () => {
    const markRes = await get(getTrustMark, "/federation/trust-mark", {
      trust_mark_type: `${anchor()}/trust-marks/admitted-host`,
      sub: host.entityId,
    });
    expect(markRes.status).toBe(200);
    const mark = await markRes.text();
    expect(await (await get(listEntities, "/federation/list")).json()).toContain(host.entityId);
    await passProposal(voters, {
      kind: "host_removal",
      title: "Remove the loopback host",
      content: { hostOrgId, reason: "Test over" },
    });
    const gone = await get(fetchStatement, "/federation/fetch", { sub: host.entityId });
    expect(gone.status).toBe(404);
    expect((await gone.json()).error).toBe("not_found");
    expect(await (await get(listEntities, "/federation/list")).json()).not.toContain(host.entityId);
    expect(await statusOf(mark)).toBe("revoked");
    const resolved = await get(resolveEntity, "/federation/resolve", { sub: host.entityId, trust_anchor: anchor() });
    expect(resolved.status).toBe(404);
  });
});
