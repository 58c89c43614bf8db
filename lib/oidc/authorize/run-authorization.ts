import "server-only";
import { db } from "@/lib/db/client";
import { issuer } from "@/lib/oidc/config";
import type { CurrentSession } from "@/lib/auth/get-current-session";
import { ConsentRequired, LoginRequired } from "@/lib/oidc/errors";
import { decideAuthorization, type InteractionState } from "@/lib/oidc/authorize/decide-authorization";
import { endInteraction, saveInteraction, type Interaction } from "@/lib/oidc/authorize/interactions";
import {
  authorizationError,
  authorizationResponse,
  untrustedRequestPage,
} from "@/lib/oidc/authorize/authorization-response";
import { issueAuthorizationCode } from "@/lib/oidc/authorize/issue-authorization-code";
import { findLiveGrant } from "@/lib/oidc/grants/find-live-grant";
import { subjectFor } from "@/lib/oidc/subject";

function redirect(path: string): Response {
  return new Response(null, { status: 303, headers: { location: `${issuer()}${path}`, "cache-control": "no-store" } });
}

export function resumePath(interactionId: string): string {
  return `/oidc/authorize/resume?interaction=${encodeURIComponent(interactionId)}`;
}

/**
 * Moves an authorization request forward: to sign-in, to the account or
 * consent screen, or to the client with a code. With prompt=none, any need
 * for the user is answered to the client as login_required or
 * consent_required instead.
 */
export async function runAuthorization(p: {
  state: InteractionState;
  interaction?: Interaction;
  session: CurrentSession | null;
}): Promise<Response> {
  const { request } = p.state;
  const client = await db().oidcClient.findUnique({
    where: { id: request.clientId },
    select: { status: true, subjectType: true, sectorIdentifier: true, redirectUris: true },
  });
  if (client?.status !== "approved")
    return untrustedRequestPage("The application that sent you here is not approved, or it is suspended.");
  const session = p.session;
  const grant = session ? await findLiveGrant({ userId: session.userId, clientId: request.clientId }) : null;
  const decision = decideAuthorization({
    state: p.state,
    interactionStartedAt: p.interaction?.createdAt,
    session: session
      ? {
          userId: session.userId,
          email: session.user.email,
          authTime: session.authTime,
          subject: subjectFor(client, session.userId),
        }
      : null,
    grantScopes: grant?.scopes ?? null,
  });
  const target = { redirectUri: request.redirectUri, responseMode: request.responseMode, state: request.state };
  const promptNone = request.prompt.includes("none");

  if (decision.kind === "login") {
    if (promptNone) return authorizationError(target, new LoginRequired());
    // Back from sign-in still signed in as before: the sign-in page did not re-authenticate; stop rather than loop.
    if (p.state.loginSentAt && session && p.interaction) {
      await endInteraction(p.interaction.id);
      return authorizationError(target, new LoginRequired("re-authentication did not happen"));
    }
    const interaction = await saveInteraction({ ...p.state, loginSentAt: new Date().toISOString() }, p.interaction);
    const hint = request.loginHint ? `&login_hint=${encodeURIComponent(request.loginHint)}` : "";
    // Signed in but not recently enough: the sign-in page must show its form instead of passing the user through.
    const reauth = session ? "&prompt=login" : "";
    return redirect(`/sign-in?callbackUrl=${encodeURIComponent(resumePath(interaction.id))}${hint}${reauth}`);
  }
  if (decision.kind === "wrong_account") {
    if (p.interaction) await endInteraction(p.interaction.id);
    return authorizationError(target, new LoginRequired("the signed-in user is not the one the id_token_hint names"));
  }
  if (decision.kind === "select_account" || decision.kind === "consent") {
    if (promptNone) return authorizationError(target, new ConsentRequired());
    const interaction = await saveInteraction(p.state, p.interaction);
    return redirect(`/oidc/interaction/${encodeURIComponent(interaction.id)}`);
  }

  if (!session || !grant) throw new Error("runAuthorization: issue without session and grant");
  const code = await issueAuthorizationCode({
    request,
    userId: session.userId,
    grantId: grant.id,
    sessionId: session.id,
    authTime: session.authTime,
    authMethod: session.authMethod,
  });
  if (p.interaction) await endInteraction(p.interaction.id);
  return authorizationResponse(target, { code });
}
