import "server-only";
import type { AuthorizationRequest } from "@/lib/oidc/authorize/authorization-request";

export type InteractionState = {
  request: AuthorizationRequest;
  /** The user chose the account (prompt=select_account) or consented (prompt=consent) during this interaction. */
  accountSelected?: boolean;
  consented?: boolean;
  /** When the user was sent to sign in; a second unsatisfied return ends in login_required, not a loop. */
  loginSentAt?: string;
};

/** `subject` is the `sub` this client knows the session's user by, to compare with an id_token_hint. */
export type SessionFacts = { userId: string; email: string; authTime: Date; subject: string } | null;

export type Decision =
  | { kind: "login" }
  | { kind: "wrong_account" }
  | { kind: "select_account" }
  | { kind: "consent" }
  | { kind: "issue" };

/**
 * What an authorization request needs next, given the session, the user's
 * consent and the interaction so far. Pure, so each rule is tested alone:
 * - sign-in, when there is no session; or prompt=login, max_age exceeded, or a
 *   login_hint or id_token_hint naming another account, unless the user signed
 *   in during this interaction (auth_time after it began);
 * - wrong_account, when the user signed in during this interaction and is
 *   still not the one the id_token_hint names: never a code for someone else;
 * - account choice, for prompt=select_account not yet answered;
 * - consent, when no remembered grant covers the scopes, or prompt=consent not yet answered;
 * - otherwise a code is issued.
 */
export function decideAuthorization(p: {
  state: InteractionState;
  interactionStartedAt?: Date;
  session: SessionFacts;
  grantScopes: string[] | null;
  now?: Date;
}): Decision {
  const { request } = p.state;
  const now = p.now ?? new Date();
  const session = p.session;
  if (!session) return { kind: "login" };
  // A second of leeway: the interaction's time comes from the database, auth_time from the portal.
  const signedInDuringInteraction =
    p.interactionStartedAt !== undefined && session.authTime.getTime() >= p.interactionStartedAt.getTime() - 1000;
  const hintNamesAnother = request.idTokenHintSub !== undefined && request.idTokenHintSub !== session.subject;
  if (hintNamesAnother) return { kind: signedInDuringInteraction ? "wrong_account" : "login" };
  if (!signedInDuringInteraction) {
    if (request.prompt.includes("login")) return { kind: "login" };
    if (
      request.maxAgeSeconds !== undefined &&
      now.getTime() - session.authTime.getTime() > request.maxAgeSeconds * 1000
    )
      return { kind: "login" };
    if (request.loginHint?.includes("@") && request.loginHint.toLowerCase() !== session.email.toLowerCase())
      return { kind: "login" };
    if (request.prompt.includes("select_account") && !p.state.accountSelected) return { kind: "select_account" };
  }
  const granted = p.grantScopes;
  const covered = granted !== null && request.scopes.every((s) => granted.includes(s));
  if (!covered || (request.prompt.includes("consent") && !p.state.consented)) return { kind: "consent" };
  return { kind: "issue" };
}
