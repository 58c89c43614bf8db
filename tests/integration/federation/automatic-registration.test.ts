import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decodeJwt, exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from "jose";
import { env } from "@/lib/config/env";
import { db } from "@/lib/db/client";
import {
  parseAuthorizationRequest,
  RedirectableError,
  UntrustedRequestError,
} from "@/lib/oidc/authorize/authorization-request";
import { authenticateClient } from "@/lib/oidc/clients/authenticate-client";
import { GET as getEntityConfiguration } from "@/app/.well-known/openid-federation/route";
import { seedOrg } from "@/tests/support/factories";
import { seedVoter, useTestClock, type Voter } from "@/tests/integration/governance/helpers";
import { makeHostDeclaration, passProposal } from "./helpers";
import { startHostEntity } from "./host-entity";

useTestClock();

const CHALLENGE = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

/** What the authorization endpoint makes of a request: "ok", an error code sent back, or "untrusted" (our page). */
async function outcome(params: Record<string, string>): Promise<string> {
  try {
    await parseAuthorizationRequest(params);
    return "ok";
  } catch (e) {
    if (e instanceof RedirectableError) return e.cause.error;
    if (e instanceof UntrustedRequestError) return `untrusted: ${e.description}`;
    throw e;
  }
}

describe("automatic registration of an admitted host's relying party (OpenID Federation 1.0 §12.1)", () => {
  let voters: Voter[];
  let host: Awaited<ReturnType<typeof startHostEntity>>;
  let keys: Awaited<ReturnType<typeof makeHostDeclaration>>;
  let hostOrgId: string;
  let forger: CryptoKey;
  const anchor = () => env().publicUrl;
  const relyingParty = (entityId: string, redirects = [`${entityId}/cb`, "https://elsewhere.example/cb"]) => ({
    client_name: "Loopback host",
    redirect_uris: redirects,
    grant_types: ["authorization_code", "refresh_token"],
    scope: "openid email admin:everything",
    token_endpoint_auth_method: "private_key_jwt",
  });
  const publish = (relying = relyingParty(host.entityId), key = keys.privateKey) =>
    host.publish({ key, kid: keys.kid, jwks: [keys.publicJwk as JWK], anchor: anchor(), relyingParty: relying });

  function requestObject(claims: Record<string, unknown> = {}, key: CryptoKey = keys.privateKey) {
    return new SignJWT({
      client_id: host.entityId,
      redirect_uri: `${host.entityId}/cb`,
      response_type: "code",
      scope: "openid email",
      code_challenge: CHALLENGE,
      code_challenge_method: "S256",
      state: "st",
      nonce: "no",
      ...claims,
    })
      .setProtectedHeader({ alg: "ES256", kid: keys.kid, typ: "oauth-authz-req+jwt" })
      .setIssuer(host.entityId)
      .setAudience(anchor())
      .setIssuedAt()
      .setJti(crypto.randomUUID())
      .setExpirationTime("2m")
      .sign(key);
  }
  const authorize = async (claims: Record<string, unknown> = {}, key?: CryptoKey) =>
    outcome({ client_id: host.entityId, request: await requestObject(claims, key) });

  beforeAll(async () => {
    voters = [await seedVoter(), await seedVoter(), await seedVoter()];
    host = await startHostEntity();
    keys = await makeHostDeclaration();
    forger = (await generateKeyPair("ES256")).privateKey;
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
    await publish();
  });
  afterAll(async () => host?.close());

  it("is what the anchor's OpenID provider metadata offers", async () => {
    const res = await getEntityConfiguration(new Request("http://localhost/.well-known/openid-federation"), {
      params: Promise.resolve({}),
    });
    const op = (decodeJwt(await res.text()).metadata as Record<string, Record<string, unknown>>).openid_provider;
    expect(op.client_registration_types_supported).toEqual(["automatic"]);
    expect(op.request_authentication_methods_supported).toEqual({
      authorization_endpoint: ["request_object"],
      pushed_authorization_request_endpoint: ["request_object"],
    });
  });

  it("registers the host at its first signed request, with the policy applied and the admitted keys", async () => {
    expect(await db().oidcClient.count({ where: { id: host.entityId } })).toBe(0);
    expect(await authorize()).toBe("ok");
    const client = await db().oidcClient.findUniqueOrThrow({ where: { id: host.entityId } });
    expect(client).toMatchObject({
      hostOrgId,
      name: "Loopback host",
      registeredVia: "federation_automatic",
      status: "approved",
      tokenEndpointAuthMethod: "private_key_jwt",
      secretHash: null,
      requireSignedRequestObject: true,
      // The policy kept only the redirect URI the admission declared and the scopes a host may ask for.
      redirectUris: [`${host.entityId}/cb`],
      scopes: ["openid", "email"],
      grantTypes: ["authorization_code", "refresh_token"],
    });
    expect(client.jwks).toEqual({ keys: [keys.publicJwk] });
    const registration = await db().federationClientRegistration.findUniqueOrThrow({
      where: { clientId: host.entityId },
    });
    expect(registration.expiresAt.getTime()).toBeLessThanOrEqual(Date.now() + 3600_000);
    // The same host authenticates at the token endpoint with its admitted key (private_key_jwt).
    const assertion = await new SignJWT({})
      .setProtectedHeader({ alg: "ES256", kid: keys.kid })
      .setIssuer(host.entityId)
      .setSubject(host.entityId)
      .setAudience(anchor())
      .setJti(crypto.randomUUID())
      .setIssuedAt()
      .setExpirationTime("1m")
      .sign(keys.privateKey);
    const authenticated = await authenticateClient(
      { headers: new Headers() },
      {
        client_id: host.entityId,
        client_assertion_type: "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
        client_assertion: assertion,
      },
      [anchor()],
    );
    expect(authenticated.id).toBe(host.entityId);
  });

  it("refuses requests that do not prove the host's key, or break the federation's rules", async () => {
    const before = await db().auditEvent.count();
    // Unsigned: the parameters alone do not show who sends them.
    expect(
      await outcome({
        client_id: host.entityId,
        redirect_uri: `${host.entityId}/cb`,
        response_type: "code",
        scope: "openid",
        code_challenge: CHALLENGE,
        code_challenge_method: "S256",
      }),
    ).toBe("invalid_request");
    expect(await authorize({}, forger)).toMatch(/^untrusted: .*signed sign-in request is invalid/);
    // A sub would let the object pass for a client assertion; the jti makes it single-use.
    expect(await authorize({ sub: host.entityId })).toMatch(/^untrusted/);
    const once = await requestObject();
    expect(await outcome({ client_id: host.entityId, request: once })).toBe("ok");
    expect(await outcome({ client_id: host.entityId, request: once })).toMatch(/already used/);
    // A redirect URI the admission did not declare is not the client's.
    expect(await authorize({ redirect_uri: "https://elsewhere.example/cb" })).toMatch(/^untrusted/);
    expect(await db().auditEvent.count()).toBe(before);
  });

  it("refuses an entity that was never admitted, a host key that is not the admitted one and a policy violation", async () => {
    const stranger = await startHostEntity();
    const strangerKey = await generateKeyPair("ES256");
    const strangerJwk = { ...(await exportJWK(strangerKey.publicKey)), kid: "s1", alg: "ES256" };
    await stranger.publish({
      key: strangerKey.privateKey,
      kid: "s1",
      jwks: [strangerJwk],
      anchor: anchor(),
      relyingParty: relyingParty(stranger.entityId),
    });
    const strangerRequest = await new SignJWT({ client_id: stranger.entityId, redirect_uri: `${stranger.entityId}/cb` })
      .setProtectedHeader({ alg: "ES256", kid: "s1" })
      .setIssuer(stranger.entityId)
      .setAudience(anchor())
      .setJti("j")
      .setExpirationTime("1m")
      .sign(strangerKey.privateKey);
    expect(await outcome({ client_id: stranger.entityId, request: strangerRequest })).toMatch(/untrusted: .*not_found/);
    expect(await db().oidcClient.count({ where: { id: stranger.entityId } })).toBe(0);
    await stranger.close();

    // The registration has expired; the host now publishes a configuration signed with a key it was not admitted
    // with: the refresh fails, the request is refused, and the stored client is left as it was.
    const stored = await db().oidcClient.findUniqueOrThrow({ where: { id: host.entityId } });
    await db().federationClientRegistration.update({
      where: { clientId: host.entityId },
      data: { expiresAt: new Date(0) },
    });
    await publish(relyingParty(host.entityId), forger);
    expect(await authorize()).toMatch(/untrusted: .*invalid_trust_chain/);
    // An expired entity configuration, signed with the admitted key.
    await host.publish({
      key: keys.privateKey,
      kid: keys.kid,
      jwks: [keys.publicJwk as JWK],
      anchor: anchor(),
      relyingParty: relyingParty(host.entityId),
      expSeconds: -60,
    });
    expect(await authorize()).toMatch(/untrusted: .*invalid_trust_chain.*exp/);
    // Its metadata names none of the declared redirect URIs: the policy leaves it no way to sign users in.
    await publish(relyingParty(host.entityId, ["https://elsewhere.example/cb"]));
    expect(await authorize()).toMatch(/untrusted: .*invalid_metadata/);
    expect(await db().oidcClient.findUniqueOrThrow({ where: { id: host.entityId } })).toEqual(stored);
    await publish();
    expect(await authorize()).toBe("ok");
  });

  it("a removal vote ends it: the client is suspended and the host resolves no more", async () => {
    await passProposal(voters, {
      kind: "host_removal",
      title: "Remove the loopback host",
      content: { hostOrgId, reason: "Left the federation" },
    });
    expect((await db().oidcClient.findUniqueOrThrow({ where: { id: host.entityId } })).status).toBe("suspended");
    expect(await authorize()).toMatch(/untrusted: .*not_found/);
  });
});
