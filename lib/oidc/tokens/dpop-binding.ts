import "server-only";
/** The DPoP key of a token request (RFC 9449 §5): its thumbprint when the request carried a valid proof. */
export type DpopBinding = { jkt?: string };
