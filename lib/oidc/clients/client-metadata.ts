import "server-only";
import { z } from "zod";
import { env } from "@/lib/config/env";
import { CLIENT_AUTH_METHODS, GRANT_TYPES, ID_TOKEN_ALGS } from "@/lib/oidc/config";
import { isApiScope, OIDC_SCOPES } from "@/lib/oidc/scopes";
import { clientJwksProblem } from "@/lib/oidc/checks/check-client-jwks";

const LOOPBACK = new Set(["localhost", "127.0.0.1", "[::1]"]);

export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK.has(hostname);
}

/**
 * A redirect or logout URI: absolute, no fragment, https, except plain http on
 * loopback (native apps, local development) and anywhere outside production.
 * Native clients may also use a private-use scheme (RFC 8252 §7.1).
 */
function uriRule(kind: "redirect" | "logout" | "jwks") {
  return z
    .string()
    .max(2000)
    .refine(
      (value) => {
        let u: URL;
        try {
          u = new URL(value);
        } catch {
          return false;
        }
        if (u.hash) return false;
        if (u.protocol === "https:") return true;
        if (u.protocol === "http:") return isLoopbackHost(u.hostname) || !env().production;
        return kind === "redirect" && /^[a-z][a-z0-9+.-]*\.[a-z0-9+.-]+:$/.test(u.protocol);
      },
      `must be an absolute https URI without fragment${kind === "redirect" ? " (http only on loopback)" : ""}`,
    );
}

const scopeName = z
  .string()
  .regex(/^[a-z][a-z0-9_.:-]{0,63}$/, "scope names are lower-case letters, digits and _ . : -");

export const clientMetadataSchema = z
  .object({
    name: z.string().trim().min(1).max(100),
    applicationType: z.enum(["web", "native"]).default("web"),
    redirectUris: z.array(uriRule("redirect")).max(20).default([]),
    postLogoutRedirectUris: z.array(uriRule("logout")).max(20).default([]),
    backchannelLogoutUri: uriRule("logout").optional(),
    grantTypes: z.array(z.enum(GRANT_TYPES)).min(1).default(["authorization_code"]),
    scopes: z.array(scopeName).max(50).default(["openid", "profile", "email"]),
    tokenEndpointAuthMethod: z.enum(CLIENT_AUTH_METHODS).default("client_secret_basic"),
    subjectType: z.enum(["public", "pairwise"]).default("public"),
    sectorIdentifier: z
      .string()
      .regex(/^[a-z0-9.-]+$/i)
      .max(253)
      .optional(),
    jwks: z.object({ keys: z.array(z.record(z.string(), z.unknown())).min(1).max(10) }).optional(),
    jwksUri: uriRule("jwks").optional(),
    idTokenSignedResponseAlg: z.enum(ID_TOKEN_ALGS).default("RS256"),
    requirePushedAuthorizationRequests: z.boolean().default(false),
    requireSignedRequestObject: z.boolean().default(false),
    dpopBoundAccessTokens: z.boolean().default(false),
  })
  .superRefine((m, ctx) => {
    const issue = (path: string, message: string) => ctx.addIssue({ code: "custom", path: [path], message });
    if (m.grantTypes.includes("authorization_code") && m.redirectUris.length === 0)
      issue("redirectUris", "at least one redirect URI is needed for the authorization code grant");
    if (m.grantTypes.includes("refresh_token") && !m.grantTypes.includes("authorization_code"))
      issue("grantTypes", "refresh_token needs authorization_code");
    if (m.grantTypes.includes("client_credentials") && m.tokenEndpointAuthMethod === "none")
      issue("grantTypes", "a public client cannot use client_credentials");
    if (m.tokenEndpointAuthMethod === "private_key_jwt" && !m.jwks && !m.jwksUri)
      issue("jwks", "private_key_jwt needs jwks or jwksUri");
    if (m.jwks && m.jwksUri) issue("jwksUri", "give jwks or jwksUri, not both");
    if (m.requireSignedRequestObject && !m.jwks && !m.jwksUri)
      issue("jwks", "signed request objects need jwks or jwksUri to verify them with");
    if (m.applicationType === "web") {
      for (const u of m.redirectUris)
        if (!/^https?:/.test(u)) issue("redirectUris", "web clients use http(s) redirect URIs");
    }
    if (m.subjectType === "pairwise" && !m.sectorIdentifier) {
      const hosts = new Set(m.redirectUris.map((u) => new URL(u).host));
      if (hosts.size > 1) issue("sectorIdentifier", "redirect URIs on several hosts need a sector identifier");
    }
    for (const s of m.scopes) {
      if (!OIDC_SCOPES.includes(s as (typeof OIDC_SCOPES)[number]) && !isApiScope(s))
        issue("scopes", `unknown scope "${s}"`);
    }
  })
  // Asynchronous (jose imports each key), so the schema is parsed with parseAsync / safeParseAsync.
  .superRefine(async (m, ctx) => {
    const problem = m.jwks ? await clientJwksProblem(m.jwks.keys) : undefined;
    if (problem) ctx.addIssue({ code: "custom", path: ["jwks"], message: problem });
  });

export type ClientMetadataInput = z.input<typeof clientMetadataSchema>;
export type ClientMetadata = z.output<typeof clientMetadataSchema>;
