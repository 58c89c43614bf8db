// The benchmark's peer: oidc-provider 9 with its memory adapter, configured
// like Guildhall (RS256 + ES256 keys, PKCE required, client credentials with
// JWT access tokens signed RS256, userinfo with the email scope). Started by
// scripts/bench-oidc.ts in its own process; prints one JSON line when ready.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { exportJWK, generateKeyPair } from "jose";
import Provider from "oidc-provider";

const port = Number(process.argv[2] ?? 0);
const issuer = `http://localhost:${port}`;
const secret = "peer-bench-secret-0123456789abcdef0123456789";

async function privateJwk(alg: "RS256" | "ES256") {
  const { privateKey } = await generateKeyPair(alg, { extractable: true });
  return { ...(await exportJWK(privateKey)), alg, use: "sig", kid: alg.toLowerCase() };
}

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: "bench",
      client_secret: secret,
      grant_types: ["client_credentials", "authorization_code"],
      redirect_uris: ["http://localhost:5555/cb"],
      response_types: ["code"],
      scope: "openid email tickets:write",
    },
  ],
  jwks: { keys: [await privateJwk("RS256"), await privateJwk("ES256")] },
  scopes: ["openid", "email", "offline_access", "tickets:write"],
  claims: { openid: ["sub"], email: ["email", "email_verified"] },
  findAccount: async (_ctx: unknown, id: string) => ({
    accountId: id,
    claims: async () => ({ sub: id, email: "bench@example.test", email_verified: true }),
  }),
  pkce: { required: () => true },
  features: {
    devInteractions: { enabled: false },
    clientCredentials: { enabled: true },
    introspection: { enabled: true },
    revocation: { enabled: true },
    resourceIndicators: {
      enabled: true,
      defaultResource: () => "urn:guildhall:api",
      useGrantedResource: () => true,
      getResourceServerInfo: () => ({
        scope: "tickets:write",
        audience: issuer,
        accessTokenFormat: "jwt",
        accessTokenTTL: 600,
        jwt: { sign: { alg: "RS256" } },
      }),
    },
  },
  ttl: { AccessToken: 600, ClientCredentials: 600, Grant: 3600 },
});

// A userinfo token as the code flow would leave it: a grant for openid email and an opaque access token.
const client = await provider.Client.find("bench");
const grant = new provider.Grant({ accountId: "usr_bench", clientId: "bench" });
grant.addOIDCScope("openid email");
const grantId = await grant.save();
const accessToken = await new provider.AccessToken({
  accountId: "usr_bench",
  client,
  grantId,
  scope: "openid email",
  gty: "authorization_code",
}).save();

const server = http.createServer(provider.callback());
server.listen(port, "127.0.0.1", () => {
  const actual = (server.address() as AddressInfo).port;
  process.stdout.write(
    `${JSON.stringify({ port: actual, clientId: "bench", clientSecret: secret, userinfoToken: accessToken })}\n`,
  );
});
