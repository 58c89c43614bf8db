import "server-only";
import type { Tx } from "@/lib/db/client";
import { newId } from "@/lib/ids";
import { appendAuditEvent } from "@/lib/audit/append-audit-event";
import type { Actor } from "@/lib/access/actor";
import type { ProposalContent } from "@/lib/governance/proposal-kinds";
import { publishReleaseManifest } from "@/lib/governance/publish-release-manifest";
import type { OutcomeEffect, OutcomeKeys } from "@/lib/governance/outcomes/outcome-effect";
import { publishServiceConfiguration } from "@/lib/governance/federation/publish-service-configuration";

/**
 * A passed fork: a new release line starting from an approved release, with
 * its own hosts (only they may declare its releases; they are listed in the
 * manifest). A split-policy version named in the fork is recorded with the
 * proposal; payments has no per-line policies, so it is activated by its own
 * split-policy vote.
 */
export async function openForkedReleaseLine(
  tx: Tx,
  {
    proposal: p,
    keys,
    actor,
  }: { proposal: { id: string; content: ProposalContent<"fork"> }; keys: OutcomeKeys; actor: Actor },
): Promise<OutcomeEffect> {
  const c = p.content;
  if (await tx.releaseLine.findUnique({ where: { name: c.lineName } })) {
    return {
      effectStatus: "none",
      effectNote: `Passed, but a release line named ${c.lineName} was opened meanwhile; nothing changed.`,
    };
  }
  const line = await tx.releaseLine.create({
    data: {
      id: newId("rl"),
      name: c.lineName,
      description: c.description,
      forkedFromReleaseId: c.fromReleaseId,
      proposalId: p.id,
      hostOrgIds: c.hostOrgIds,
    },
  });
  await appendAuditEvent(tx, {
    actor,
    action: "release_line.opened",
    subject: { type: "release_line", id: line.id },
    state: { ...c, proposalId: p.id },
    data: { name: c.lineName, fromReleaseId: c.fromReleaseId, proposalId: p.id },
  });
  const manifest = await publishReleaseManifest(tx, { key: keys.manifest, actor });
  const config = await publishServiceConfiguration(tx, {
    key: keys.federation,
    cause: { kind: "release_line_opened", proposalId: p.id },
    actor,
  });
  return {
    effectStatus: "applied",
    effectNote: `Release line ${c.lineName} opened from ${c.fromReleaseId}; release manifest #${manifest.seq} and service configuration version ${config.version} signed.`,
  };
}
