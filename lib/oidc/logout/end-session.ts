import "server-only";
import { db } from "@/lib/db/client";
import { appendAuditEvent } from "@/lib/audit/append-audit-event";
import type { CurrentSession } from "@/lib/auth/get-current-session";
import type { OidcClient } from "@/lib/generated/prisma/client";
import { InvalidRequest } from "@/lib/oidc/errors";
import { checkIdTokenHint } from "@/lib/oidc/checks/check-id-token-hint";
import { subjectFor } from "@/lib/oidc/subject";
import { enqueueBackchannelLogouts } from "@/lib/oidc/logout/enqueue-backchannel-logouts";
import { kickOutbox } from "@/lib/outbox/kick-outbox";

export type LogoutRequest = {
  client: OidcClient | null;
  postLogoutRedirectUri?: string;
  state?: string;
  hintMatchesSession: boolean;
};

/**
 * Validates an RP-initiated logout request (RP-Initiated Logout 1.0 §2).
 * Checks:
 * - id_token_hint, when given, is an ID token we signed (expired ones are
 *   accepted: logging out after expiry is normal), issued to one client;
 * - client_id, when given with a hint, is that client;
 * - post_logout_redirect_uri needs a known client and must equal one of its
 *   registered logout URIs exactly.
 * Failures are invalid_request, shown on our page, never redirected.
 */
export async function parseLogoutRequest(
  params: Record<string, string>,
  session: CurrentSession | null,
): Promise<LogoutRequest> {
  let clientId = params.client_id;
  let hintSub: string | undefined;
  if (params.id_token_hint) {
    const hint = await checkIdTokenHint(params.id_token_hint);
    if (clientId && clientId !== hint.clientId) throw new InvalidRequest("client_id does not match the id_token_hint");
    clientId = hint.clientId;
    hintSub = hint.sub;
  }
  const client = clientId ? await db().oidcClient.findUnique({ where: { id: clientId } }) : null;
  if (clientId && !client) throw new InvalidRequest("unknown client_id");
  if (params.post_logout_redirect_uri) {
    if (!client) throw new InvalidRequest("post_logout_redirect_uri needs id_token_hint or client_id");
    if (!client.postLogoutRedirectUris.includes(params.post_logout_redirect_uri))
      throw new InvalidRequest("post_logout_redirect_uri is not registered for this client");
  }
  const hintMatchesSession = !!(session && client && hintSub && subjectFor(client, session.userId) === hintSub);
  return { client, postLogoutRedirectUri: params.post_logout_redirect_uri, state: params.state, hintMatchesSession };
}

/** Ends the Guildhall session and queues the back-channel logout tokens, in one transaction. */
export async function endSession(session: CurrentSession, via: string | null): Promise<void> {
  await db().$transaction(async (tx) => {
    const notified = await enqueueBackchannelLogouts(tx, { sessionId: session.id, userId: session.userId });
    await tx.session.deleteMany({ where: { id: session.id } });
    await appendAuditEvent(tx, {
      actor: { type: "user", id: session.userId },
      action: "session.ended",
      subject: { type: "session", id: session.id },
      state: { ended: true },
      data: { via: "oidc_end_session", clientId: via, backchannelNotified: notified },
    });
  });
  kickOutbox();
}
