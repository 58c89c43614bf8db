import { z } from "zod";

/**
 * What a host declares about itself to be admitted to the federation, carried
 * in its admission proposal so that voters sign over exactly these facts, and
 * published as they were voted in the service configuration.
 *
 * Checks (the structural ones here; that each key imports is checked when the
 * proposal is made, in `checkFederationDeclaration`):
 *  - the entity id and every endpoint are https URLs without query or
 *    fragment (OpenID Federation 1.0 §1.2: an Entity Identifier is such a URL);
 *    plain http only on loopback, for hosts run in tests and on a laptop;
 *  - keys are public JWKs with a kid: a private member is refused outright,
 *    so a slip never publishes a host's private key;
 *  - jurisdiction is an ISO 3166-1 alpha-2 code.
 */
const loopback = new Set(["localhost", "127.0.0.1", "[::1]"]);

export const federationUrl = z
  .url({ protocol: /^https?$/ })
  .max(500)
  .refine((u) => {
    const url = new URL(u);
    return !url.search && !url.hash && !url.username && !url.password;
  }, "no query, fragment or credentials in a federation URL")
  .refine((u) => {
    const url = new URL(u);
    return url.protocol === "https:" || loopback.has(url.hostname);
  }, "https, or plain http on loopback only")
  .transform((u) => u.replace(/\/+$/, ""));

const privateMembers = ["d", "p", "q", "dp", "dq", "qi", "k", "oth"] as const;

export const publicJwkSchema = z
  .looseObject({
    kty: z.enum(["EC", "OKP", "RSA"]),
    kid: z.string().trim().min(1).max(100),
    alg: z.string().max(20).optional(),
    use: z.literal("sig").optional(),
  })
  .refine((k) => privateMembers.every((m) => !(m in k)), "a federation key must be a public key only");

export const federationJwksSchema = z.object({
  keys: z
    .array(publicJwkSchema)
    .min(1)
    .max(10)
    .refine((keys) => new Set(keys.map((k) => k.kid)).size === keys.length, "every key needs its own kid"),
});

export const federationDeclarationSchema = z.object({
  entityId: federationUrl,
  endpoints: z
    .array(
      z.object({ name: z.string().regex(/^[a-z][a-z0-9_-]{0,39}$/, "a short lower-case name"), url: federationUrl }),
    )
    .min(1)
    .max(20)
    .refine((e) => new Set(e.map((x) => x.name)).size === e.length, "each endpoint name once"),
  jwks: federationJwksSchema,
  jurisdiction: z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^[A-Z]{2}$/, "an ISO 3166-1 alpha-2 country code, such as DE"),
  provider: z.string().trim().min(1).max(100),
  // Where the host's OIDC relying party may receive users back; the trust
  // anchor's metadata policy limits the host's redirect_uris to these.
  redirectUris: z.array(federationUrl).max(20).optional(),
});

export type FederationJwks = z.infer<typeof federationJwksSchema>;
export type FederationDeclaration = z.infer<typeof federationDeclarationSchema>;
