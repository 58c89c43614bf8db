import "server-only";
import { db } from "@/lib/db/client";
import type { OidcClient } from "@/lib/generated/prisma/client";
import { OAuthError, InvalidRequest, RequestUriNotSupported, RegistrationNotSupported } from "@/lib/oidc/errors";
import { redirectUriMatches } from "@/lib/oidc/checks/check-redirect-uri";
import { checkResponseMode, checkResponseType, type ResponseMode } from "@/lib/oidc/checks/check-response-type";
import { checkPkceChallenge } from "@/lib/oidc/checks/check-pkce";
import { checkPrompt } from "@/lib/oidc/checks/check-prompt";
import { checkScope } from "@/lib/oidc/checks/check-scope";
import { checkIdTokenHint } from "@/lib/oidc/checks/check-id-token-hint";
import { PUSHED_REQUEST_URI_PREFIX, takePushedRequest } from "@/lib/oidc/authorize/pushed-requests";
import { checkRequestObject } from "@/lib/oidc/checks/check-request-object";
import { AutomaticRegistrationRefused, clientForAuthorization } from "@/lib/oidc/clients/client-registrars";
import { log } from "@/lib/log";

export type AuthorizationRequest = {
  clientId: string;
  redirectUri: string;
  responseMode: ResponseMode;
  state?: string;
  nonce?: string;
  scopes: string[];
  codeChallenge: string;
  prompt: string[];
  maxAgeSeconds?: number;
  loginHint?: string;
  /** The `sub` of a verified id_token_hint: the user this request is for (OIDC Core §3.1.2.1). */
  idTokenHintSub?: string;
  /** RFC 9449 §10: the thumbprint of the DPoP key the code must be redeemed with. */
  dpopJkt?: string;
};

/**
 * Where the parameters came from: the browser's URL, a pushed request (RFC 9126), a verified request object; and an
 * error found on the way that goes to the client once its redirect URI is trusted.
 */
type ParameterSource = { params: Record<string, string>; pushed: boolean; signed: boolean; refusal?: OAuthError };

/** Where an authorization error goes back to the client, once client and redirect URI are known. */
export type ErrorTarget = { redirectUri: string; responseMode: ResponseMode; state?: string };

/** An error that must be shown on our page, because the client or its redirect URI cannot be trusted. */
export class UntrustedRequestError extends Error {
  constructor(readonly description: string) {
    super(description);
  }
}

export class RedirectableError extends Error {
  constructor(
    readonly target: ErrorTarget,
    readonly cause: OAuthError,
  ) {
    super(cause.message);
  }
}

const MAX_PARAM_LENGTH = 2048;

/**
 * Where an error found before the request's own parameters are known goes: the redirect URI given in the browser's
 * URL, when it is registered for the client (the test any request's redirect URI passes, RFC 6749 §4.1.2.1; RFC 9101
 * §6.3). Otherwise nothing the client named can be trusted, and the error is shown on our page.
 */
function outsideTarget(client: OidcClient, outside: Record<string, string>): ErrorTarget | undefined {
  if (!outside.redirect_uri || !redirectUriMatches(client, outside.redirect_uri)) return undefined;
  return {
    redirectUri: outside.redirect_uri,
    responseMode: outside.response_mode === "form_post" ? "form_post" : "query",
    state: outside.state,
  };
}

/** The error for the client at its outsideTarget, or the page when there is none. */
function refusalBeforeParameters(
  client: OidcClient,
  outside: Record<string, string>,
  cause: OAuthError,
  page: string,
): RedirectableError | UntrustedRequestError {
  const target = outsideTarget(client, outside);
  return target ? new RedirectableError(target, cause) : new UntrustedRequestError(page);
}

/**
 * The parameters of a request that names a pushed request_uri (RFC 9126 §4):
 * those the client pushed, used up here, whatever else the browser brought
 * (only client_id, which must be the pusher's). An unknown, expired or used
 * reference is invalid_request_uri (OIDC Core §3.1.2.6), sent back as
 * outsideTarget says. A request_uri of any other form is left for
 * the checks below, which refuse it.
 */
async function pushedParameters(client: OidcClient, params: Record<string, string>): Promise<ParameterSource> {
  if (!params.request_uri?.startsWith(PUSHED_REQUEST_URI_PREFIX)) return { params, pushed: false, signed: false };
  try {
    const taken = await takePushedRequest({ clientId: client.id, requestUri: params.request_uri });
    return { params: taken.params, pushed: true, signed: taken.signedRequestObject };
  } catch (e) {
    if (!(e instanceof OAuthError)) throw e;
    throw refusalBeforeParameters(
      client,
      params,
      e,
      `This sign-in request has expired or was already used (${e.error}). Go back to the application and start again.`,
    );
  }
}

/**
 * The parameters of a request that carries a signed request object (RFC 9101
 * §5): only those inside it, once it verifies. If it does not, the error goes
 * back as outsideTarget says, since an unverified object's
 * redirect_uri cannot be trusted.
 */
async function requestObjectParameters(client: OidcClient, source: ParameterSource): Promise<ParameterSource> {
  const { params } = source;
  if (params.request === undefined) return source;
  try {
    return { params: await checkRequestObject(client, params.request), pushed: source.pushed, signed: true };
  } catch (e) {
    // Pushed (RFC 9126): the client is on the line and gets the error in JSON.
    if (!(e instanceof OAuthError) || source.pushed) throw e;
    throw refusalBeforeParameters(
      client,
      params,
      e,
      `The application's signed sign-in request is invalid (${e.description}).`,
    );
  }
}

/**
 * What the browser brought stands for: a pushed request, or a request object, or its own parameters. Both request
 * and request_uri is invalid_request (OIDC Core §6: one or the other), and the pushed request is not used up. The
 * error goes to the redirect URI outside when it is registered; else the request object is verified, and the error
 * waits (`refusal`) for its redirect URI to pass parseAuthorizationRequest's first stage.
 */
async function frontParameters(client: OidcClient, raw: Record<string, string>): Promise<ParameterSource> {
  if (raw.request === undefined || raw.request_uri === undefined)
    return requestObjectParameters(client, await pushedParameters(client, raw));
  const refusal = new InvalidRequest("request and request_uri cannot both be used (OpenID Connect Core §6)");
  const target = outsideTarget(client, raw);
  if (target) throw new RedirectableError(target, refusal);
  const verified = await requestObjectParameters(client, { params: raw, pushed: false, signed: false });
  return { ...verified, refusal };
}

/**
 * The client the request names, registered beforehand or, for an entity
 * identifier of the federation, registered automatically now (lib/oidc/clients/client-registrars.ts).
 * A refused automatic registration is logged and shown on our page.
 */
async function knownClient(clientId: string): Promise<OidcClient | null> {
  const existing = await db().oidcClient.findUnique({ where: { id: clientId } });
  try {
    return await clientForAuthorization(clientId, existing);
  } catch (e) {
    if (!(e instanceof AutomaticRegistrationRefused)) throw e;
    log.info({ clientId, reason: e.description }, "automatic registration refused");
    throw new UntrustedRequestError(`The application could not be registered through the federation: ${e.description}`);
  }
}

/**
 * Validates an authorization request in two stages. First what makes a
 * redirect safe: a known, approved client allowed the code flow, and a
 * redirect URI registered for it (else UntrustedRequestError: an error page,
 * never a redirect). Then everything else, whose failures go back to the
 * client (RedirectableError): response_mode, response_type, a client that
 * must push its requests (RFC 9126 §6) or sign them (RFC 9101 §10.5) and did
 * not, a request_uri that is no pushed one, PKCE, scope, prompt, max_age,
 * id_token_hint (ours, for this client), dpop_jkt, and parameter sizes. A
 * signed request object is verified between the two (requestObjectParameters).
 * Returns the parameters the request stands for, which a push keeps.
 */
export async function parseAuthorizationRequest(
  raw: Record<string, string>,
  via: "front" | "push" = "front",
): Promise<{
  client: OidcClient;
  request: AuthorizationRequest;
  params: Record<string, string>;
  signedRequestObject: boolean;
}> {
  if (!raw.client_id) throw new UntrustedRequestError("The request names no client (client_id is missing).");
  const client = await knownClient(raw.client_id);
  if (!client) throw new UntrustedRequestError("The application that sent you here is not registered with Guildhall.");
  if (client.status !== "approved")
    throw new UntrustedRequestError("The application that sent you here is not approved, or it is suspended.");
  const { params, pushed, signed, refusal } =
    via === "push"
      ? await requestObjectParameters(client, { params: raw, pushed: true, signed: false })
      : await frontParameters(client, raw);
  if (!params.redirect_uri) throw new UntrustedRequestError("The request has no redirect_uri.");
  if (!redirectUriMatches(client, params.redirect_uri))
    throw new UntrustedRequestError("The redirect_uri is not registered for this application.");

  const target: ErrorTarget = {
    redirectUri: params.redirect_uri,
    responseMode: params.response_mode === "form_post" ? "form_post" : "query",
    state: params.state,
  };
  try {
    if (refusal) throw refusal;
    const responseMode = checkResponseMode(params);
    checkResponseType(params);
    if (!client.grantTypes.includes("authorization_code"))
      throw new InvalidRequest("the client may not use the authorization code flow");
    if (client.requirePushedAuthorizationRequests && !pushed)
      throw new InvalidRequest("this client sends its authorization requests through the PAR endpoint (RFC 9126)");
    if (client.requireSignedRequestObject && !signed)
      throw new InvalidRequest("this client sends its authorization requests as signed request objects (RFC 9101)");
    if (params.request_uri !== undefined) throw new RequestUriNotSupported();
    if (params.registration !== undefined) throw new RegistrationNotSupported();
    for (const [k, v] of Object.entries(params))
      if (v.length > MAX_PARAM_LENGTH) throw new InvalidRequest(`parameter "${k}" is too long`);
    const codeChallenge = checkPkceChallenge(params);
    const scopes = checkScope(client, params.scope);
    const { prompt, maxAgeSeconds } = checkPrompt(params);
    const hint =
      params.id_token_hint === undefined ? undefined : await checkIdTokenHint(params.id_token_hint, client.id);
    if (params.dpop_jkt !== undefined && !/^[A-Za-z0-9_-]{43}$/.test(params.dpop_jkt))
      throw new InvalidRequest("dpop_jkt must be a base64url SHA-256 JWK thumbprint (RFC 9449 §10)");
    return {
      client,
      params,
      signedRequestObject: signed,
      request: {
        clientId: client.id,
        redirectUri: params.redirect_uri,
        responseMode,
        state: params.state,
        nonce: params.nonce,
        scopes,
        codeChallenge,
        prompt,
        maxAgeSeconds,
        loginHint: params.login_hint,
        ...(hint ? { idTokenHintSub: hint.sub } : {}),
        ...(params.dpop_jkt ? { dpopJkt: params.dpop_jkt } : {}),
      },
    };
  } catch (e) {
    if (e instanceof OAuthError) throw new RedirectableError(target, e);
    throw e;
  }
}
