import { db } from "@/lib/db/client";
import { createClient } from "@/lib/oidc/clients/create-client";
import type { ClientMetadataInput } from "@/lib/oidc/clients/client-metadata";
import { RedirectableError, UntrustedRequestError } from "@/lib/oidc/authorize/authorization-request";
import { POST as parEndpoint } from "@/lib/oidc/http/par-endpoint";

// What the pushed-request and request-object tests share: the issuer the test setup names, one registered redirect
// URI, a PKCE challenge, an approved confidential client, the PAR endpoint and what the authorization endpoint answers.
export const ISSUER = "http://localhost:3999";
export const REDIRECT = "http://localhost:5555/cb";
export const CHALLENGE = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
// Test setup, not what is tested: a busy machine must not fail it on Prisma's 5 s transaction timeout.
const SETUP_TX = { timeout: 30_000, maxWait: 30_000 };

/** An approved confidential client registered for REDIRECT, with more of its metadata; and its secret. */
export async function approvedClient(metadata: Omit<ClientMetadataInput, "redirectUris">) {
  const { client, secret } = await db().$transaction(
    (tx) =>
      createClient(tx, {
        metadata: { redirectUris: [REDIRECT], ...metadata },
        hostOrgId: null,
        status: "approved",
        actor: { type: "system", id: "test" },
        via: "cli",
      }),
    SETUP_TX,
  );
  if (!secret) throw new Error("no secret");
  return { client, secret };
}

/** Pushes an authorization request as the client (RFC 9126), authenticated with its secret. */
export async function push(clientId: string, secret: string, params: Record<string, string>) {
  const answer = await parEndpoint.answer({
    method: "POST",
    url: `${ISSUER}/oidc/par`,
    headers: new Headers({
      "content-type": "application/x-www-form-urlencoded",
      authorization: `Basic ${Buffer.from(`${clientId}:${secret}`).toString("base64")}`,
    }),
    text: async () => new URLSearchParams(params).toString(),
  });
  return { status: answer.status, body: JSON.parse(answer.body) as Record<string, unknown> };
}

/** What the authorization endpoint does with the request: its error code and where it goes, or "untrusted" for our own page. */
export async function refusal(p: Promise<unknown>): Promise<{ error: string; redirectUri?: string }> {
  try {
    await p;
  } catch (e) {
    if (e instanceof RedirectableError) return { error: e.cause.error, redirectUri: e.target.redirectUri };
    if (e instanceof UntrustedRequestError) return { error: "untrusted" };
    throw e;
  }
  throw new Error("expected a refusal");
}
