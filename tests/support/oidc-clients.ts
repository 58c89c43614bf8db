import { exportJWK, generateKeyPair } from "jose";
import { issueInitialAccessToken } from "@/lib/oidc/clients/initial-access-tokens";
import { registerClientDynamically } from "@/lib/oidc/clients/register-client-dynamically";
import { seedOrg, seedUser } from "./factories";

/**
 * A host's machine client as a host backend registers one (RFC 7591, with an initial access token from an org
 * admin): client_credentials for tickets:write, authenticating with private_key_jwt under one ES256 key, kid
 * "k1". Answers the registration and the private key that signs the client's assertions.
 */
export async function registerPrivateKeyJwtClient() {
  const { org } = await seedOrg({ kind: "HOST" });
  const { user: admin } = await seedUser({ roles: ["ORG_ADMIN"] });
  const { privateKey, publicKey } = await generateKeyPair("ES256");
  const jwk = { ...(await exportJWK(publicKey)), kid: "k1", alg: "ES256", use: "sig" };
  const iat = await issueInitialAccessToken({ actor: { type: "user", id: admin.id }, hostOrgId: org.id, ttlDays: 1 });
  const client = await registerClientDynamically(iat.token, {
    grant_types: ["client_credentials"],
    scope: "tickets:write",
    token_endpoint_auth_method: "private_key_jwt",
    jwks: { keys: [jwk] },
  });
  return { client, privateKey };
}
