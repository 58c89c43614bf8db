import { z } from "zod";

/**
 * The WebAuthn options the browser hands to navigator.credentials, in
 * @simplewebauthn's JSON form. Their top-level fields are named; what is
 * inside the standard's own dictionaries (rp, authenticatorSelection,
 * extensions) passes as the library made it.
 */
const credentialDescriptor = z.object({
  id: z.string(),
  type: z.literal("public-key"),
  transports: z.array(z.string()).optional(),
});

export const registrationOptionsSchema = z.object({
  rp: z.looseObject({ name: z.string(), id: z.string().optional() }),
  user: z.object({ id: z.string(), name: z.string(), displayName: z.string() }),
  challenge: z.string(),
  pubKeyCredParams: z.array(z.object({ type: z.literal("public-key"), alg: z.number() })),
  timeout: z.number().optional(),
  excludeCredentials: z.array(credentialDescriptor).optional(),
  authenticatorSelection: z.looseObject({}).optional(),
  hints: z.array(z.string()).optional(),
  attestation: z.string().optional(),
  attestationFormats: z.array(z.string()).optional(),
  extensions: z.looseObject({}).optional(),
});

export const authenticationOptionsSchema = z.object({
  challenge: z.string(),
  timeout: z.number().optional(),
  rpId: z.string().optional(),
  allowCredentials: z.array(credentialDescriptor).optional(),
  userVerification: z.string().optional(),
  hints: z.array(z.string()).optional(),
  extensions: z.looseObject({}).optional(),
});

/** A credential's answer as the browser serialises it (RegistrationResponseJSON / AuthenticationResponseJSON). */
export const credentialResponseSchema = z.unknown().meta({
  description:
    "The PublicKeyCredential's toJSON() (RegistrationResponseJSON), checked by the server's WebAuthn verifier",
});
