import "server-only";
import { db } from "@/lib/db/client";

/**
 * Deletes what can no longer be used: expired interactions, pushed
 * authorization requests, authorization codes, client-assertion, request-object and DPoP proof ids, and tokens a day past their expiry (kept
 * that long so introspection and reuse detection can still name them).
 */
export async function purgeExpiredOidcRecords(now = new Date()) {
  const dayAgo = new Date(now.getTime() - 86_400_000);
  const [interactions, pushed, codes, assertions, tokens, usedJtis] = await Promise.all([
    db().oidcInteraction.deleteMany({ where: { expiresAt: { lt: now } } }),
    db().oidcPushedRequest.deleteMany({ where: { expiresAt: { lt: now } } }),
    db().oidcAuthorizationCode.deleteMany({ where: { expiresAt: { lt: dayAgo } } }),
    db().oidcClientAssertion.deleteMany({ where: { expiresAt: { lt: now } } }),
    db().oidcToken.deleteMany({ where: { expiresAt: { lt: dayAgo } } }),
    db().oidcUsedJti.deleteMany({ where: { expiresAt: { lt: now } } }),
  ]);
  return {
    interactions: interactions.count,
    pushedRequests: pushed.count,
    codes: codes.count,
    assertions: assertions.count,
    tokens: tokens.count,
    usedJtis: usedJtis.count,
  };
}
