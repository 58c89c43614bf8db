import "server-only";
/**
 * The error responses of the federation endpoints (OpenID Federation 1.0 §8.9):
 * `{ error, error_description }` with the specification's codes, never a 5xx
 * for a caller's mistake.
 */
export const federationErrorStatus = {
  invalid_request: 400,
  invalid_client: 401,
  invalid_issuer: 404,
  invalid_subject: 404,
  invalid_trust_anchor: 404,
  invalid_trust_chain: 400,
  invalid_metadata: 400,
  not_found: 404,
  unsupported_parameter: 400,
  server_error: 500,
  temporarily_unavailable: 503,
} as const;

export type FederationErrorCode = keyof typeof federationErrorStatus;

export class FederationError extends Error {
  constructor(
    readonly code: FederationErrorCode,
    readonly description: string,
  ) {
    super(`${code}: ${description}`);
  }

  get status(): number {
    return federationErrorStatus[this.code];
  }
}
