import "server-only";
import { invalidateLocalCaches } from "@/lib/db/invalidation-feed";
import type { Tx } from "@/lib/db/client";
import { appendAuditEvent } from "@/lib/audit/append-audit-event";
import type { Actor } from "@/lib/access/actor";
import type { FederationDeclaration } from "@/lib/governance/federation/host-declaration";

/**
 * A passed admission with a federation declaration: the host becomes a
 * federation member with exactly the declared facts (a re-admission after a
 * removal replaces them with the newly voted ones).
 */
export async function admitFederationHost(
  tx: Tx,
  {
    actor,
    ...p
  }: { actor: Actor } & { hostOrgId: string; declaration: FederationDeclaration; proposalId: string; admittedAt: Date },
) {
  const facts = {
    entityId: p.declaration.entityId,
    endpoints: p.declaration.endpoints,
    // A JWK's members are JSON values by construction; the loose schema types them unknown.
    jwks: p.declaration.jwks as object,
    jurisdiction: p.declaration.jurisdiction,
    provider: p.declaration.provider,
    redirectUris: p.declaration.redirectUris ?? [],
    admittedAt: p.admittedAt,
    admissionProposalId: p.proposalId,
    removedAt: null,
    removalProposalId: null,
  };
  await tx.federationHost.upsert({
    where: { hostOrgId: p.hostOrgId },
    create: { hostOrgId: p.hostOrgId, ...facts },
    update: facts,
  });
  // This process sees the admission at once (trust mark status); others at the trigger's notification.
  invalidateLocalCaches();
  await appendAuditEvent(tx, {
    actor,
    action: "federation_host.admitted",
    subject: { type: "organization", id: p.hostOrgId },
    state: { hostOrgId: p.hostOrgId, ...facts },
    data: { entityId: facts.entityId, proposalId: p.proposalId },
  });
}

/** A passed removal: the host leaves the federation. False when it was not a member, so nothing changed. */
export async function removeFederationHost(
  tx: Tx,
  { actor, ...p }: { actor: Actor } & { hostOrgId: string; proposalId: string; removedAt: Date },
): Promise<boolean> {
  const { count } = await tx.federationHost.updateMany({
    where: { hostOrgId: p.hostOrgId, removedAt: null },
    data: { removedAt: p.removedAt, removalProposalId: p.proposalId },
  });
  if (count === 0) return false;
  invalidateLocalCaches();
  await appendAuditEvent(tx, {
    actor,
    action: "federation_host.removed",
    subject: { type: "organization", id: p.hostOrgId },
    state: { hostOrgId: p.hostOrgId, removedAt: p.removedAt, removalProposalId: p.proposalId },
    data: { proposalId: p.proposalId },
  });
  return true;
}
