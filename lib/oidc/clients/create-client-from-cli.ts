import "server-only";
import { cliActor } from "@/lib/access/actor";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { createClient } from "@/lib/oidc/clients/create-client";
import type { ClientMetadataInput } from "@/lib/oidc/clients/client-metadata";

/**
 * The operator's `clients create`: an approved client at once (the operator
 * is trusted), for a host when --host names one. Without --grant, a client
 * with redirect URIs gets the code flow with refresh; one without gets
 * client_credentials.
 */
export async function createClientFromCli(p: {
  name: string;
  redirectUris: string[];
  grants: string[];
  scopes: string[];
  hostSlug?: string;
  authMethod?: string;
  subjectType?: "public" | "pairwise";
  postLogoutRedirectUris: string[];
  backchannelLogoutUri?: string;
  jwksUri?: string;
  requirePushedAuthorizationRequests?: boolean;
  requireSignedRequestObject?: boolean;
  dpopBoundAccessTokens?: boolean;
}) {
  return db().$transaction(
    async (tx) => {
      let hostOrgId: string | null = null;
      if (p.hostSlug) {
        const org = await tx.organization.findUnique({ where: { slug: p.hostSlug }, select: { id: true, kind: true } });
        if (org?.kind !== "HOST")
          throw new AppError("NOT_FOUND", { userMessage: `No host organization "${p.hostSlug}".` });
        hostOrgId = org.id;
      }
      const grants = p.grants.length
        ? p.grants
        : p.redirectUris.length
          ? ["authorization_code", "refresh_token"]
          : ["client_credentials"];
      const userScopes = grants.includes("authorization_code")
        ? ["openid", "profile", "email", ...(grants.includes("refresh_token") ? ["offline_access"] : [])]
        : [];
      const metadata = {
        name: p.name,
        redirectUris: p.redirectUris,
        postLogoutRedirectUris: p.postLogoutRedirectUris,
        backchannelLogoutUri: p.backchannelLogoutUri,
        grantTypes: grants,
        scopes: [...new Set([...userScopes, ...p.scopes])],
        tokenEndpointAuthMethod: p.authMethod ?? "client_secret_basic",
        subjectType: p.subjectType ?? "public",
        jwksUri: p.jwksUri,
        requirePushedAuthorizationRequests: p.requirePushedAuthorizationRequests ?? false,
        requireSignedRequestObject: p.requireSignedRequestObject ?? false,
        dpopBoundAccessTokens: p.dpopBoundAccessTokens ?? false,
      } as ClientMetadataInput;
      return createClient(tx, {
        metadata,
        hostOrgId,
        status: "approved",
        actor: cliActor,
        via: "cli",
      });
      // The audit chain serializes appends; on a busy database the default 5 s can pass waiting for it.
    },
    { timeout: 30_000 },
  );
}
