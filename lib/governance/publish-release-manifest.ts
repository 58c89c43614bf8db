import "server-only";
import { CompactSign } from "jose";
import { db, type Tx } from "@/lib/db/client";
import { env } from "@/lib/config/env";
import { canonicalJson } from "@/lib/crypto/canonical-json";
import { sha256Hex } from "@/lib/crypto/hash";
import { appendAuditEvent } from "@/lib/audit/append-audit-event";
import type { Actor } from "@/lib/access/actor";
import { getActiveSigningKey, type ActiveSigningKey } from "@/lib/keys/get-active-signing-key";
import { ensureMainReleaseLine } from "@/lib/release-lines/ensure-main-release-line";
import { advisoryLockIds, lockForTransaction } from "@/lib/db/advisory-locks";

export const RELEASE_MANIFEST_TYPE = "guildhall-release-manifest+jws";

/**
 * Signs and stores a new release manifest: every release line with its
 * approved releases (version, artifact URL, SHA-256) and the release each
 * host declares it runs. Called in the transaction that changed any of them;
 * the newest manifest is what /api/governance/release-manifest serves.
 */
export async function publishReleaseManifest(tx: Tx, { key, actor }: { key: ActiveSigningKey; actor: Actor }) {
  await lockForTransaction(tx, advisoryLockIds.releaseManifest);
  await ensureMainReleaseLine(tx);
  const last = await tx.releaseManifest.findFirst({ orderBy: { seq: "desc" }, select: { seq: true } });
  const seq = (last?.seq ?? 0) + 1;
  const lines = await tx.releaseLine.findMany({
    orderBy: { createdAt: "asc" },
    include: { releases: { orderBy: { approvedAt: "asc" } } },
  });
  const hosts = await tx.hostReleaseDeclaration.findMany({ orderBy: [{ hostOrgId: "asc" }, { releaseLineId: "asc" }] });
  const payload = {
    iss: env().publicUrl,
    seq,
    issuedAt: new Date().toISOString(),
    releaseLines: lines.map((l) => ({
      id: l.id,
      name: l.name,
      description: l.description,
      forkedFromReleaseId: l.forkedFromReleaseId,
      proposalId: l.proposalId,
      hostOrgIds: l.hostOrgIds,
      releases: l.releases.map((r) => ({
        id: r.id,
        name: r.name,
        version: r.version,
        artifactUrl: r.artifactUrl,
        sha256: r.artifactSha256,
        proposalId: r.proposalId,
        approvedAt: r.approvedAt.toISOString(),
      })),
    })),
    hosts: hosts.map((h) => ({
      hostOrgId: h.hostOrgId,
      releaseLineId: h.releaseLineId,
      releaseId: h.releaseId,
      declaredAt: h.declaredAt.toISOString(),
    })),
  };
  const body = canonicalJson(payload);
  const jws = await new CompactSign(new TextEncoder().encode(body))
    .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: RELEASE_MANIFEST_TYPE })
    .sign(key.privateKey);
  const digest = sha256Hex(body);
  await tx.releaseManifest.create({ data: { seq, jws, digest } });
  await appendAuditEvent(tx, {
    actor,
    action: "release_manifest.published",
    subject: { type: "release_manifest", id: String(seq) },
    state: payload,
    data: { seq, digest, kid: key.kid },
  });
  return { seq, jws, digest, payload };
}

/** The newest manifest, signing the first one when none exists yet. */
export async function getReleaseManifest() {
  const latest = await db().releaseManifest.findFirst({ orderBy: { seq: "desc" } });
  if (latest) return latest;
  const key = await getActiveSigningKey("manifest");
  await db().$transaction((tx) =>
    publishReleaseManifest(tx, { key, actor: { type: "system", id: "manifest-first-use" } }),
  );
  return db().releaseManifest.findFirstOrThrow({ orderBy: { seq: "desc" } });
}
