import "server-only";
import { db } from "@/lib/db/client";
import { findInteraction } from "@/lib/oidc/authorize/interactions";
import { decideAuthorization } from "@/lib/oidc/authorize/decide-authorization";
import { findLiveGrant } from "@/lib/oidc/grants/find-live-grant";
import { claimsOfScope, isUserScope, scopeDescriptions } from "@/lib/oidc/scopes";
import { subjectFor } from "@/lib/oidc/subject";
import type { CurrentSession } from "@/lib/auth/get-current-session";

/**
 * What the consent or account screen shows for an interaction: the client,
 * its host, and each requested scope with the claims it releases (scopes the
 * user already granted are marked). Null when the interaction is gone.
 */
export async function getInteractionView(id: string, session: CurrentSession) {
  const interaction = await findInteraction(id);
  if (!interaction) return null;
  const { request } = interaction.state;
  const client = await db().oidcClient.findUnique({
    where: { id: request.clientId },
    select: { name: true, hostOrgId: true, redirectUris: true, subjectType: true, sectorIdentifier: true },
  });
  if (!client) return null;
  const host = client.hostOrgId
    ? await db().organization.findUnique({ where: { id: client.hostOrgId }, select: { name: true } })
    : null;
  const grant = await findLiveGrant({ userId: session.userId, clientId: request.clientId });
  const decision = decideAuthorization({
    state: interaction.state,
    interactionStartedAt: interaction.createdAt,
    session: {
      userId: session.userId,
      email: session.user.email,
      authTime: session.authTime,
      subject: subjectFor(client, session.userId),
    },
    grantScopes: grant?.scopes ?? null,
  });
  return {
    id: interaction.id,
    step: decision.kind === "select_account" ? ("select_account" as const) : ("consent" as const),
    clientName: client.name,
    hostName: host?.name ?? null,
    redirectHost: new URL(request.redirectUri).host,
    userEmail: session.user.email,
    scopes: request.scopes.filter(isUserScope).map((s) => ({
      scope: s,
      description: scopeDescriptions[s],
      claims: claimsOfScope(s),
      alreadyGranted: grant?.scopes.includes(s) ?? false,
    })),
  };
}
