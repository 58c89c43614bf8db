import "server-only";
import type { Tx } from "@/lib/db/client";
import type { Actor } from "@/lib/access/actor";
import { setOrganizationStatus } from "@/lib/orgs/set-organization-status";
import { setHostClientsStatus } from "@/lib/oidc/clients/set-host-clients-status";
import { setFederationHostClient } from "@/lib/oidc/clients/set-federation-host-client";
import type { ProposalContent } from "@/lib/governance/proposal-kinds";
import type { OutcomeEffect, OutcomeKeys } from "@/lib/governance/outcomes/outcome-effect";
import { admitFederationHost, removeFederationHost } from "@/lib/governance/federation/record-federation-membership";
import { publishServiceConfiguration } from "@/lib/governance/federation/publish-service-configuration";
import { recordHostWitness, witnessKeyHeldByAnotherHost } from "@/lib/transparency/witnesses/set-host-witness";
import { emitWebhookEvent } from "@/lib/webhooks/emit-webhook-event";
import { endOrgWebhookSubscriptions } from "@/lib/webhook-subscriptions/end-org-webhook-subscriptions";

/**
 * A passed host admission makes the host organization ACTIVE and reinstates
 * its suspended OIDC clients; a removal SUSPENDS the host and its approved
 * clients, so nobody signs in through it any more. When the admission
 * declared the host's federation facts, it also joins the federation and its
 * machine credentials (private_key_jwt with the declared keys) are set; a
 * removal takes a member out (its credentials are suspended with its clients) and ends its webhook subscriptions
 * (it learns of its removal from the service configuration, as a removed backend must). Either way a new service
 * configuration version
 * is signed. All in the close's transaction, audited by lib/orgs, lib/oidc
 * and here.
 */
export async function setHostAdmission(
  tx: Tx,
  {
    proposal: p,
    keys,
    actor,
  }: {
    proposal: {
      id: string;
      closedAt: Date;
      kind: "host_admission" | "host_removal";
      content: ProposalContent<"host_admission"> | ProposalContent<"host_removal">;
    };
    keys: OutcomeKeys;
    actor: Actor;
  },
): Promise<OutcomeEffect> {
  const admit = p.kind === "host_admission";
  const hostOrgId = p.content.hostOrgId;
  await setOrganizationStatus(tx, { orgId: hostOrgId, status: admit ? "ACTIVE" : "SUSPENDED", actor });
  const clients = await setHostClientsStatus(tx, { hostOrgId, status: admit ? "approved" : "suspended", actor });
  const notes = [
    `Host ${admit ? "admitted (ACTIVE)" : "suspended"}; ${clients.length} OIDC client(s) ${admit ? "reinstated" : "suspended"}.`,
  ];
  const declaration = "federation" in p.content ? p.content.federation : undefined;
  let federationChanged = false;
  if (admit && declaration) {
    await admitFederationHost(tx, { hostOrgId, declaration, proposalId: p.id, admittedAt: p.closedAt, actor });
    const clientId = await setFederationHostClient(tx, {
      hostOrgId,
      entityId: declaration.entityId,
      jwks: declaration.jwks as object,
      actor,
    });
    notes.push(`Machine credentials ${clientId} bound to the declared keys.`);
    federationChanged = true;
  } else if (!admit) {
    federationChanged = await removeFederationHost(tx, { hostOrgId, proposalId: p.id, removedAt: p.closedAt, actor });
  } else {
    notes.push("No federation declaration: the host is not in the service configuration.");
  }
  if (!admit) {
    const ended = await endOrgWebhookSubscriptions(tx, {
      orgId: hostOrgId,
      reason: `The host was removed by vote (proposal ${p.id}).`,
      actor,
    });
    if (ended > 0) notes.push(`${ended} webhook subscription(s) ended.`);
  }
  await emitWebhookEvent(tx, {
    type: admit ? "host.admitted" : "host.removed",
    orgId: hostOrgId,
    toHosts: true,
    data: { hostOrgId, entityId: declaration?.entityId ?? null, proposalId: p.id, federation: federationChanged },
  });
  // The host's witness, when the admission declared one: it counts toward the log's quorum from now on. Checked
  // first rather than thrown, so a key another host took meanwhile leaves the admission applied, and says so.
  const witness = admit && "witness" in p.content ? p.content.witness : undefined;
  if (witness) {
    if (await witnessKeyHeldByAnotherHost(tx, { hostOrgId, verifierKey: witness.verifierKey }))
      notes.push("Witness not recorded: its key is another host's witness now.");
    else {
      const w = await recordHostWitness(tx, { hostOrgId, declaration: witness, cause: `admission ${p.id}`, actor });
      notes.push(`Witness ${w.name} recorded.`);
    }
  }
  if (federationChanged) {
    const config = await publishServiceConfiguration(tx, {
      key: keys.federation,
      cause: { kind: admit ? "host_admitted" : "host_removed", proposalId: p.id },
      actor,
    });
    notes.push(`Service configuration version ${config.version} signed.`);
  }
  return { effectStatus: "applied", effectNote: notes.join(" ") };
}
