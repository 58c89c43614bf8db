import "server-only";
import { z } from "zod";
import { db } from "@/lib/db/client";
import { newId } from "@/lib/ids";
import { issuer, oidcTtl, type IdTokenAlg } from "@/lib/oidc/config";
import { signOidcJwt } from "@/lib/oidc/signing";
import { subjectFor } from "@/lib/oidc/subject";
import { defineEffect } from "@/lib/outbox/define-effect";

const payloadSchema = z.object({ clientId: z.string(), userId: z.string(), sid: z.string() });

/** Builds a logout token (Back-Channel Logout §2.4), fresh at each delivery attempt. */
export async function buildLogoutToken(p: z.infer<typeof payloadSchema>) {
  const client = await db().oidcClient.findUnique({ where: { id: p.clientId } });
  if (!client?.backchannelLogoutUri || client.status !== "approved") return null;
  const now = Math.floor(Date.now() / 1000);
  const token = await signOidcJwt(
    {
      iss: issuer(),
      aud: client.id,
      iat: now,
      exp: now + oidcTtl.logoutTokenSeconds,
      jti: newId("lt"),
      sub: subjectFor(client, p.userId),
      sid: p.sid,
      events: { "http://schemas.openid.net/event/backchannel-logout": {} },
    },
    { alg: client.idTokenSignedResponseAlg as IdTokenAlg, typ: "logout+jwt" },
  );
  return { uri: client.backchannelLogoutUri, token };
}

/**
 * POSTs the logout token to the client's URI. Anything
 * but a 2xx is a failure the outbox retries with back-off. A client that
 * was suspended or dropped its URI meanwhile is skipped.
 */
export async function deliverBackchannelLogout(payload: z.infer<typeof payloadSchema>): Promise<void> {
  const built = await buildLogoutToken(payload);
  if (!built) return;
  const res = await fetch(built.uri, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
    body: new URLSearchParams({ logout_token: built.token }).toString(),
    redirect: "manual",
    signal: AbortSignal.timeout(5000),
  });
  if (res.status < 200 || res.status > 299)
    throw new Error(`back-channel logout to ${new URL(built.uri).host} answered ${res.status}`);
}

/** The outbox effect a session's end enqueues, one per client to tell. */
export const backchannelLogoutEffect = defineEffect({
  kind: "oidc.backchannel_logout",
  schema: payloadSchema,
  handle: deliverBackchannelLogout,
});
