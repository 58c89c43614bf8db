import "server-only";
/**
 * The WebAuthn user handle of an account: its id's bytes. It is stored on the
 * authenticator with each discoverable passkey and sent back at sign-in, so a
 * second passkey made on the same authenticator for the same account replaces
 * the first there instead of piling up. It is an opaque id, not the address:
 * the handle must not carry personal data.
 */
export function userHandleBytes(userId: string): Uint8Array<ArrayBuffer> {
  return new Uint8Array(Buffer.from(userId, "utf8"));
}

/** The same handle as base64url, the form a browser's response carries it in. */
export function userHandleOf(userId: string): string {
  return Buffer.from(userId, "utf8").toString("base64url");
}
