import "server-only";
/**
 * How the user signed in, as the standard claims say it. amr values are from
 * RFC 8176: a passkey is a hardware-backed key ("hwk") unlocked by user
 * verification ("user"); an email code is a one-time password ("otp").
 * acr: "phr" (phishing-resistant, OpenID EAP ACR values) for passkeys.
 */
export const ACR_VALUES = ["phr", "urn:guildhall:acr:otp"] as const;

export function amrOf(authMethod: string): string[] {
  return authMethod === "passkey" ? ["hwk", "user"] : ["otp"];
}

export function acrOf(authMethod: string): string {
  return authMethod === "passkey" ? "phr" : "urn:guildhall:acr:otp";
}
