import "server-only";
import { db } from "@/lib/db/client";
import { randomToken, sha256Hex } from "@/lib/crypto/hash";
import { oidcTtl, secretBytes } from "@/lib/oidc/config";
import { InvalidRequestUri } from "@/lib/oidc/errors";

/** RFC 9126 §2.2: the request_uri is a URN the client cannot mistake for a URL to fetch. */
export const PUSHED_REQUEST_URI_PREFIX = "urn:ietf:params:oauth:request_uri:";

/** Keeps the parameters of a pushed authorization request; returns the single-use reference the client sends on. */
export async function savePushedRequest({
  clientId,
  params,
  signedRequestObject,
}: {
  clientId: string;
  params: Record<string, string>;
  signedRequestObject: boolean;
}) {
  const requestUri = `${PUSHED_REQUEST_URI_PREFIX}${randomToken(secretBytes.requestUri)}`;
  await db().oidcPushedRequest.create({
    data: {
      requestUriHash: sha256Hex(requestUri),
      clientId,
      params,
      signedRequestObject,
      expiresAt: new Date(Date.now() + oidcTtl.pushedRequestSeconds * 1000),
    },
  });
  return { request_uri: requestUri, expires_in: oidcTtl.pushedRequestSeconds };
}

/**
 * The parameters behind a request_uri, used up by this call (RFC 9126 §4).
 * Checks: it was pushed by this client, has not expired and was never used
 * before; a second use of the same reference (a replayed or leaked URL) is
 * refused like an unknown one. Marking it used and checking all that is one
 * statement, so two browsers racing with it cannot both win.
 */
export async function takePushedRequest({
  clientId,
  requestUri,
}: {
  clientId: string;
  requestUri: string;
}): Promise<{ params: Record<string, string>; signedRequestObject: boolean }> {
  const requestUriHash = sha256Hex(requestUri);
  const { count } = await db().oidcPushedRequest.updateMany({
    where: { requestUriHash, clientId, usedAt: null, expiresAt: { gt: new Date() } },
    data: { usedAt: new Date() },
  });
  const row = count === 1 ? await db().oidcPushedRequest.findUnique({ where: { requestUriHash } }) : null;
  if (!row) throw new InvalidRequestUri("the request_uri is unknown, expired, already used or not this client's");
  return { params: row.params as Record<string, string>, signedRequestObject: row.signedRequestObject };
}
