import "server-only";
import { Prisma } from "@/lib/db/client";
import { invalidatedCache } from "@/lib/db/invalidated-cache";
import { preparedQuery } from "@/lib/db/prepared-query";
import { constantTimeEqual, sha256Hex } from "@/lib/crypto/hash";
import { InvalidClient, InvalidRequest } from "@/lib/oidc/errors";
import { unsafeTextReason } from "@/lib/http/untrusted-text";
import { checkClientAssertion } from "@/lib/oidc/checks/check-client-assertion";
import type { ClientAuthMethod } from "@/lib/oidc/config";
import type { OidcClient } from "@/lib/generated/prisma/client";
import { decodeJwt } from "jose";

// The columns this build knows, named: a prepared `SELECT *` fails ("cached plan must not change result type")
// on every instance still running when a rolling deploy's migration adds a column.
const CLIENT_BY_ID_SQL = `SELECT ${Object.values(Prisma.OidcClientScalarFieldEnum)
  .map((c) => `"${c}"`)
  .join(", ")} FROM "OidcClient" WHERE "id" = $1`;

// Any change to a client (status, secret, keys) notifies every process; see lib/db/invalidated-cache.ts.
const clientsById = invalidatedCache<OidcClient>({ ttlMs: 10_000, maxEntries: 1_000 });

const JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

/** RFC 6749 §2.3.1: the Basic credentials are form-urlencoded before base64. */
function formDecode(value: string): string {
  return decodeURIComponent(value.replace(/\+/g, "%20"));
}

export function parseBasicCredentials(header: string): { clientId: string; secret: string } {
  const b64 = header.slice(6).trim();
  const decoded = Buffer.from(b64, "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon < 0) throw new InvalidClient("malformed Basic credentials");
  let credentials: { clientId: string; secret: string };
  try {
    credentials = { clientId: formDecode(decoded.slice(0, colon)), secret: formDecode(decoded.slice(colon + 1)) };
  } catch {
    throw new InvalidClient("malformed Basic credentials");
  }
  // A NUL byte or a lone surrogate would reach the client lookup (PostgreSQL refuses it with 22021): refused here.
  if (unsafeTextReason(credentials.clientId) || unsafeTextReason(credentials.secret))
    throw new InvalidClient("malformed Basic credentials");
  return credentials;
}

/**
 * Authenticates the client of a token, introspection or revocation request.
 * Checks, in order:
 * - exactly one authentication method is used (RFC 6749 §2.3);
 * - the client exists and is approved (pending, suspended and rejected clients are refused);
 * - the method is the one the client registered (a confidential client cannot fall back to "none");
 * - the secret matches its stored hash in constant time, or the private_key_jwt assertion verifies.
 * Every failure is invalid_client without saying which check failed.
 */
export async function authenticateClient(
  req: { headers: Pick<Headers, "get"> },
  params: Record<string, string>,
  audience: string[],
): Promise<OidcClient> {
  const authz = req.headers.get("authorization");
  const basic = authz && /^basic /i.test(authz) ? parseBasicCredentials(authz) : undefined;
  const used: ClientAuthMethod[] = [];
  if (basic) used.push("client_secret_basic");
  if (params.client_secret !== undefined) used.push("client_secret_post");
  if (params.client_assertion !== undefined || params.client_assertion_type !== undefined) used.push("private_key_jwt");
  if (used.length > 1) throw new InvalidRequest("use exactly one client authentication method");
  const method: ClientAuthMethod = used[0] ?? "none";
  if (basic && params.client_id !== undefined && params.client_id !== basic.clientId)
    throw new InvalidRequest("client_id does not match the Authorization header");

  let clientId: string | undefined = basic?.clientId ?? params.client_id;
  if (method === "private_key_jwt") {
    if (params.client_assertion_type !== JWT_BEARER)
      throw new InvalidRequest(`client_assertion_type must be ${JWT_BEARER}`);
    if (!params.client_assertion) throw new InvalidRequest("client_assertion is missing");
    clientId ??= unverifiedSubject(params.client_assertion);
  }
  if (!clientId) throw new InvalidClient("no client authentication was provided");

  // Cached while the invalidation feed is live: a suspension or a new secret still takes effect at the next request.
  const client = await clientsById.get(
    clientId,
    async () => (await preparedQuery<OidcClient>("oidc_client_by_id", CLIENT_BY_ID_SQL, [clientId]))[0],
  );
  if (client?.status !== "approved") throw new InvalidClient();
  if (client.tokenEndpointAuthMethod !== method)
    throw new InvalidClient(`the client must authenticate with ${client.tokenEndpointAuthMethod}`);

  if (method === "client_secret_basic" || method === "client_secret_post") {
    const secret = basic?.secret ?? params.client_secret ?? "";
    if (!client.secretHash || !constantTimeEqual(sha256Hex(secret), client.secretHash)) throw new InvalidClient();
  } else if (method === "private_key_jwt") {
    await checkClientAssertion(client, params.client_assertion, audience);
  }
  return client;
}

function unverifiedSubject(assertion: string): string | undefined {
  try {
    const payload = decodeJwt(assertion);
    // An unverified value: one that is no clean text is no client id (and must not reach the lookup).
    return typeof payload.sub === "string" && !unsafeTextReason(payload.sub) ? payload.sub : undefined;
  } catch {
    return undefined;
  }
}
