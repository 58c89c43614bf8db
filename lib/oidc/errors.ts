import "server-only";
/**
 * Errors of the OAuth 2.0 / OpenID Connect endpoints, one class per standard
 * error code (RFC 6749 §4.1.2.1 and §5.2, OIDC Core §3.1.2.6, RFC 6750 §3.1,
 * RFC 7591 §3.2.2). These endpoints answer only in this vocabulary.
 */
import { errors as joseErrors } from "jose";
export class OAuthError extends Error {
  /** The WWW-Authenticate scheme of a 401 at a resource, when it is not the endpoint's usual one (RFC 9449 §7.1). */
  challenge?: "DPoP";
  /**
   * What went wrong inside (a failed key-set fetch, a library's error): for the log, never for the answer, whose
   * `error_description` is `description` alone.
   */
  detail?: string;
  constructor(
    readonly error: string,
    readonly description: string,
    readonly status = 400,
  ) {
    super(`${error}: ${description}`);
    this.name = "OAuthError";
  }

  /** Keeps an internal cause with the error, for the log line of the refusal. */
  withDetail(detail: string): this {
    this.detail = detail;
    this.message = `${this.error}: ${this.description} (${detail})`;
    return this;
  }
}

/**
 * A token, assertion or proof that did not verify, told to the client: jose's own message says what is wrong with
 * what the client sent; any other failure (a client's key set that could not be fetched, say) is told plainly,
 * its message kept as the internal detail.
 */
export function verificationRefusal<E extends OAuthError>(
  refusal: (description: string) => E,
  what: string,
  e: unknown,
): E {
  if (e instanceof joseErrors.JOSEError) return refusal(`${what}: ${e.message}`);
  return refusal(`${what}: it could not be verified`).withDetail(e instanceof Error ? e.message : String(e));
}

export class InvalidRequest extends OAuthError {
  constructor(description: string) {
    super("invalid_request", description);
  }
}
export class InvalidClient extends OAuthError {
  constructor(description = "client authentication failed") {
    super("invalid_client", description, 401);
  }
}
export class InvalidGrant extends OAuthError {
  constructor(description = "grant request is invalid") {
    super("invalid_grant", description);
  }
}
export class UnauthorizedClient extends OAuthError {
  constructor(description: string) {
    super("unauthorized_client", description);
  }
}
export class UnsupportedGrantType extends OAuthError {
  constructor(description = "unsupported grant_type requested") {
    super("unsupported_grant_type", description);
  }
}
export class UnsupportedResponseType extends OAuthError {
  constructor(description = "unsupported response_type requested") {
    super("unsupported_response_type", description);
  }
}
export class InvalidScope extends OAuthError {
  constructor(description: string) {
    super("invalid_scope", description);
  }
}
export class AccessDenied extends OAuthError {
  constructor(description = "the user denied the request") {
    super("access_denied", description);
  }
}
export class LoginRequired extends OAuthError {
  constructor(description = "end-user authentication is required") {
    super("login_required", description);
  }
}
export class ConsentRequired extends OAuthError {
  constructor(description = "end-user consent is required") {
    super("consent_required", description);
  }
}
export class InteractionRequired extends OAuthError {
  constructor(description = "end-user interaction is required") {
    super("interaction_required", description);
  }
}
export class RequestNotSupported extends OAuthError {
  constructor(description = "request parameter is not supported") {
    super("request_not_supported", description);
  }
}
export class RequestUriNotSupported extends OAuthError {
  constructor(description = "request_uri parameter is not supported") {
    super("request_uri_not_supported", description);
  }
}
/** OIDC Core §3.1.2.6, RFC 9126 §4: the request_uri is unknown, expired or used. */
export class InvalidRequestUri extends OAuthError {
  constructor(description = "the request_uri is invalid") {
    super("invalid_request_uri", description);
  }
}
/** OIDC Core §3.1.2.6, RFC 9101 §6.3: the request object is invalid. */
export class InvalidRequestObject extends OAuthError {
  constructor(description = "the request object is invalid") {
    super("invalid_request_object", description);
  }
}
/** RFC 9449 §7.1: the DPoP proof is missing where required, malformed, replayed or made for another request. */
export class InvalidDpopProof extends OAuthError {
  /** 400 at the token endpoint; 401 with the DPoP challenge at a resource (§7.1). */
  constructor(description = "the DPoP proof is invalid", status = 400) {
    super("invalid_dpop_proof", description, status);
    if (status === 401) this.challenge = "DPoP";
  }
}
export class RegistrationNotSupported extends OAuthError {
  constructor(description = "registration parameter is not supported") {
    super("registration_not_supported", description);
  }
}
/** RFC 6750: a bearer token that is missing, expired, revoked or malformed. */
export class InvalidToken extends OAuthError {
  constructor(description = "invalid token provided", challenge?: "DPoP") {
    super("invalid_token", description, 401);
    this.challenge = challenge;
  }
}
export class InsufficientScope extends OAuthError {
  constructor(readonly scope: string) {
    super("insufficient_scope", `the token lacks the required scope "${scope}"`, 403);
  }
}
export class UnsupportedTokenType extends OAuthError {
  constructor(description = "unsupported token type") {
    super("unsupported_token_type", description);
  }
}
export class InvalidClientMetadata extends OAuthError {
  constructor(description: string) {
    super("invalid_client_metadata", description);
  }
}
export class InvalidRedirectUri extends OAuthError {
  constructor(description: string) {
    super("invalid_redirect_uri", description);
  }
}
export class ServerError extends OAuthError {
  constructor(description = "the server met an unexpected condition") {
    super("server_error", description, 500);
  }
}

export function isOAuthError(e: unknown): e is OAuthError {
  return e instanceof OAuthError;
}
