import { describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { sha256Hex } from "@/lib/crypto/hash";
import { parseAuthorizationRequest } from "@/lib/oidc/authorize/authorization-request";
import { GET as openidConfiguration } from "@/app/.well-known/openid-configuration/route";
import { GET as authorizationServerMetadata } from "@/app/.well-known/oauth-authorization-server/route";
import { approvedClient, CHALLENGE, ISSUER, push, REDIRECT, refusal } from "./front-channel";

function confidentialClient(requirePushedAuthorizationRequests = false) {
  return approvedClient({ name: "Pushing RP", requirePushedAuthorizationRequests });
}

const authorization = (extra: Record<string, string> = {}) => ({
  redirect_uri: REDIRECT,
  response_type: "code",
  scope: "openid email",
  code_challenge: CHALLENGE,
  code_challenge_method: "S256",
  state: "s-par",
  nonce: "n-par",
  ...extra,
});

describe("authorization server metadata (RFC 8414)", () => {
  it("serves the OpenID document at /.well-known/oauth-authorization-server, with the PAR endpoint", async () => {
    const request = () => new Request(`${ISSUER}/.well-known/oauth-authorization-server`);
    const metadata = await (await authorizationServerMetadata(request(), { params: Promise.resolve({}) })).json();
    const openid = await (await openidConfiguration(request(), { params: Promise.resolve({}) })).json();
    expect(metadata).toEqual(openid);
    expect(metadata).toMatchObject({
      issuer: ISSUER,
      pushed_authorization_request_endpoint: `${ISSUER}/oidc/par`,
      require_pushed_authorization_requests: false,
    });
  });
});

describe("pushed authorization requests (RFC 9126)", () => {
  it("answers a single-use request_uri that stands for the pushed parameters, for that client only", async () => {
    const { client, secret } = await confidentialClient();
    const other = await confidentialClient();
    const pushed = await push(client.id, secret, authorization());
    expect(pushed.status).toBe(201);
    expect(pushed.body.expires_in).toBe(90);
    const requestUri = String(pushed.body.request_uri);
    expect(requestUri).toMatch(/^urn:ietf:params:oauth:request_uri:/);
    const stored = await db().oidcPushedRequest.findUniqueOrThrow({ where: { requestUriHash: sha256Hex(requestUri) } });
    expect(JSON.stringify(stored.params)).not.toContain(secret);

    expect(
      (await refusal(parseAuthorizationRequest({ client_id: other.client.id, request_uri: requestUri }))).error,
    ).toBe("untrusted");
    const { request } = await parseAuthorizationRequest({ client_id: client.id, request_uri: requestUri });
    expect(request).toMatchObject({ clientId: client.id, redirectUri: REDIRECT, state: "s-par", nonce: "n-par" });
    expect((await refusal(parseAuthorizationRequest({ client_id: client.id, request_uri: requestUri }))).error).toBe(
      "untrusted",
    );

    const late = String((await push(client.id, secret, authorization())).body.request_uri);
    await db().oidcPushedRequest.update({
      where: { requestUriHash: sha256Hex(late) },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    expect((await refusal(parseAuthorizationRequest({ client_id: client.id, request_uri: late }))).error).toBe(
      "untrusted",
    );
  });

  it("refuses, in JSON and keeping nothing, a bad client, a pushed request_uri and a request the authorization endpoint would refuse", async () => {
    const { client, secret } = await confidentialClient();
    const before = await db().oidcPushedRequest.count();
    const wrongSecret = await push(client.id, "not-the-secret", authorization());
    expect([wrongSecret.status, wrongSecret.body.error]).toEqual([401, "invalid_client"]);
    const withRequestUri = await push(client.id, secret, authorization({ request_uri: "urn:x" }));
    expect([withRequestUri.status, withRequestUri.body.error]).toEqual([400, "invalid_request"]);
    const badRedirect = await push(client.id, secret, authorization({ redirect_uri: "https://evil.example/cb" }));
    expect([badRedirect.status, badRedirect.body.error]).toEqual([400, "invalid_request"]);
    const noPkce = await push(client.id, secret, authorization({ code_challenge: "" }));
    expect(noPkce.body.error).toBe("invalid_request");
    const noOpenid = await push(client.id, secret, authorization({ scope: "email" }));
    expect(noOpenid.body.error).toBe("invalid_scope");
    expect(await db().oidcPushedRequest.count()).toBe(before);
  });

  it("a client registered with require_pushed_authorization_requests is refused at the front channel", async () => {
    const { client, secret } = await confidentialClient(true);
    const front = { client_id: client.id, ...authorization() };
    expect((await refusal(parseAuthorizationRequest(front))).error).toBe("invalid_request");
    const requestUri = String((await push(client.id, secret, authorization())).body.request_uri);
    const { request } = await parseAuthorizationRequest({ client_id: client.id, request_uri: requestUri });
    expect(request.clientId).toBe(client.id);
  });
});
