import "server-only";
import type { Tx } from "@/lib/db/client";
import { env } from "@/lib/config/env";
import { ensureMainReleaseLine } from "@/lib/release-lines/ensure-main-release-line";
import {
  defaultQuorumRule,
  quorumRuleSchema,
  quorumSize,
  type QuorumRule,
} from "@/lib/governance/federation/quorum-rule";
import { latestLogCheckpoint } from "@/lib/governance/federation/latest-log-checkpoint";
import { decodeJwt } from "jose";

export const SERVICE_CONFIGURATION_FORMAT = "guildhall.service-configuration/1";

export type ConfigurationCause =
  | {
      kind: "host_admitted" | "host_removed" | "quorum_changed" | "release_approved" | "release_line_opened";
      proposalId: string;
    }
  | { kind: "republished"; reason: string }
  | { kind: "first_use" };

/** The quorum rule of the newest configuration, or the default before the first. */
export async function currentQuorumRule(tx: Tx): Promise<QuorumRule> {
  const latest = await tx.serviceConfiguration.findFirst({ orderBy: { version: "desc" }, select: { jws: true } });
  if (!latest) return defaultQuorumRule;
  return quorumRuleSchema.parse(decodeJwt(latest.jws).quorum);
}

/**
 * The facts of the next configuration version, read in the publishing
 * transaction: every admitted host as its admission declared it, the quorum
 * rule, every release line with its approved releases' artifact digests and
 * the release manifest current at this moment, and the transparency log's
 * latest checkpoint (none yet: see latest-log-checkpoint.ts).
 */
export async function buildServiceConfiguration(
  tx: Tx,
  p: { version: number; cause: ConfigurationCause; quorum?: QuorumRule },
) {
  await ensureMainReleaseLine(tx);
  const quorum = p.quorum ?? (await currentQuorumRule(tx));
  // One after another: the queries of an interactive transaction share one connection.
  const hosts = await tx.federationHost.findMany({ where: { removedAt: null }, orderBy: { entityId: "asc" } });
  const lines = await tx.releaseLine.findMany({
    orderBy: { createdAt: "asc" },
    include: { releases: { orderBy: { approvedAt: "asc" } } },
  });
  const manifest = await tx.releaseManifest.findFirst({
    orderBy: { seq: "desc" },
    select: { seq: true, digest: true },
  });
  const logCheckpoint = await latestLogCheckpoint(tx);
  return {
    format: SERVICE_CONFIGURATION_FORMAT,
    iss: env().publicUrl,
    version: p.version,
    issuedAt: new Date().toISOString(),
    cause: p.cause,
    quorum: { ...quorum, hostsRequired: quorumSize(quorum, hosts.length) },
    hosts: hosts.map((h) => ({
      hostOrgId: h.hostOrgId,
      entityId: h.entityId,
      endpoints: h.endpoints,
      jwks: h.jwks,
      jurisdiction: h.jurisdiction,
      provider: h.provider,
      redirectUris: h.redirectUris,
      admittedAt: h.admittedAt.toISOString(),
      admissionProposalId: h.admissionProposalId,
    })),
    releaseLines: lines.map((l) => ({
      id: l.id,
      name: l.name,
      forkedFromReleaseId: l.forkedFromReleaseId,
      hostOrgIds: l.hostOrgIds,
      releases: l.releases.map((r) => ({
        id: r.id,
        version: r.version,
        artifactUrl: r.artifactUrl,
        sha256: r.artifactSha256,
        proposalId: r.proposalId,
        approvedAt: r.approvedAt.toISOString(),
      })),
    })),
    releaseManifest: manifest ? { seq: manifest.seq, digest: manifest.digest } : null,
    logCheckpoint,
  };
}

export type ServiceConfigurationPayload = Awaited<ReturnType<typeof buildServiceConfiguration>>;
