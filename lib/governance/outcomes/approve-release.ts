import "server-only";
import type { Tx } from "@/lib/db/client";
import { newId } from "@/lib/ids";
import { appendAuditEvent } from "@/lib/audit/append-audit-event";
import type { Actor } from "@/lib/access/actor";
import type { ProposalContent } from "@/lib/governance/proposal-kinds";
import { publishReleaseManifest } from "@/lib/governance/publish-release-manifest";
import type { OutcomeEffect, OutcomeKeys } from "@/lib/governance/outcomes/outcome-effect";
import { publishServiceConfiguration } from "@/lib/governance/federation/publish-service-configuration";
import { emitWebhookEvent } from "@/lib/webhooks/emit-webhook-event";

/** A passed release proposal: the release is approved on its line and the manifest is re-signed. */
export async function approveRelease(
  tx: Tx,
  {
    proposal: p,
    keys,
    actor,
  }: { proposal: { id: string; closedAt: Date; content: ProposalContent<"release"> }; keys: OutcomeKeys; actor: Actor },
): Promise<OutcomeEffect> {
  const c = p.content;
  const release = await tx.release.create({
    data: {
      id: newId("rel"),
      releaseLineId: c.releaseLineId,
      name: c.name,
      version: c.version,
      artifactUrl: c.artifactUrl,
      artifactSha256: c.artifactSha256,
      notes: c.notes,
      proposalId: p.id,
      approvedAt: p.closedAt,
    },
  });
  await appendAuditEvent(tx, {
    actor,
    action: "release.approved",
    subject: { type: "release", id: release.id },
    state: { ...c, proposalId: p.id },
    data: { version: c.version, sha256: c.artifactSha256, proposalId: p.id },
  });
  await emitWebhookEvent(tx, {
    type: "release.approved",
    orgId: null,
    toHosts: true,
    data: {
      releaseId: release.id,
      releaseLineId: c.releaseLineId,
      version: c.version,
      sha256: c.artifactSha256,
      artifactUrl: c.artifactUrl,
      proposalId: p.id,
    },
  });
  const manifest = await publishReleaseManifest(tx, { key: keys.manifest, actor });
  const config = await publishServiceConfiguration(tx, {
    key: keys.federation,
    cause: { kind: "release_approved", proposalId: p.id },
    actor,
  });
  return {
    effectStatus: "applied",
    effectNote: `Release ${c.version} approved; release manifest #${manifest.seq} and service configuration version ${config.version} signed.`,
  };
}
