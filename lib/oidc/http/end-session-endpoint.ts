import "server-only";
import { apiRoute, checkOrigin, errorToResponse } from "@/lib/http/api-route";
import { isMalformedInput } from "@/lib/http/untrusted-text";
import { formAnswerContentSecurityPolicy } from "@/lib/http/security-headers";
import { getCurrentSession } from "@/lib/auth/get-current-session";
import { readParams } from "@/lib/oidc/http/oauth-route";
import { isOAuthError } from "@/lib/oidc/errors";
import { endSession, parseLogoutRequest } from "@/lib/oidc/logout/end-session";
import { confirmLogoutPage, logoutErrorPage, signedOutPage } from "@/lib/oidc/logout/logout-pages";
import { isAppError } from "@/lib/errors/app-error";

const SESSION_COOKIES = ["next-auth.session-token", "__Secure-next-auth.session-token"];

function done(postLogoutRedirectUri: string | undefined, state: string | undefined, clearCookies: boolean): Response {
  let res: Response;
  if (postLogoutRedirectUri) {
    const url = new URL(postLogoutRedirectUri);
    if (state) url.searchParams.set("state", state);
    res = new Response(null, { status: 303, headers: { location: url.href, "cache-control": "no-store" } });
  } else res = signedOutPage();
  if (clearCookies)
    for (const name of SESSION_COOKIES)
      res.headers.append(
        "set-cookie",
        `${name}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax${name.startsWith("__Secure-") ? "; Secure" : ""}`,
      );
  return res;
}

/**
 * RP-initiated logout (end_session_endpoint). Signs out at once when the
 * id_token_hint names the signed-in user; otherwise asks the user first
 * (the confirmation is a same-origin POST), so another site cannot sign
 * people out by linking here.
 */
const handler = apiRoute(
  async (req) => {
    let params: Record<string, string>;
    try {
      params = await readParams(req);
    } catch (e) {
      if (isOAuthError(e)) return logoutErrorPage(e.error, e.description);
      throw e;
    }
    const session = await getCurrentSession();
    let logout: Awaited<ReturnType<typeof parseLogoutRequest>>;
    try {
      logout = await parseLogoutRequest(params, session);
    } catch (e) {
      if (isOAuthError(e)) return logoutErrorPage(e.error, e.description);
      throw e;
    }
    if (!session) return done(logout.postLogoutRedirectUri, logout.state, false);
    let confirmed = logout.hintMatchesSession;
    if (!confirmed && req.method === "POST" && params.confirm === "yes") {
      try {
        checkOrigin(req);
        confirmed = true;
      } catch (e) {
        if (!isAppError(e)) throw e;
      }
    }
    if (!confirmed) {
      // The confirmation posts here, and the answer redirects to the client's post-logout URI: both are form targets.
      const page = confirmLogoutPage(logout.client?.name ?? null, params);
      const targets = logout.postLogoutRedirectUri ? [logout.postLogoutRedirectUri] : [];
      page.headers.set("content-security-policy", formAnswerContentSecurityPolicy(targets));
      return page;
    }
    await endSession(session, logout.client?.id ?? null);
    return done(logout.postLogoutRedirectUri, logout.state, true);
  },
  {
    crossOrigin: true,
    refuse: (e, request) =>
      isMalformedInput(e) ? logoutErrorPage("invalid_request", e.userMessage) : errorToResponse(e, request),
  },
);

export const GET = handler;
export const POST = handler;
