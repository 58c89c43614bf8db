import "server-only";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { appendAuditEvent } from "@/lib/audit/append-audit-event";
import { getActiveSigningKey } from "@/lib/keys/get-active-signing-key";
import { publishReleaseManifest } from "@/lib/governance/publish-release-manifest";

/**
 * A host declares which approved release it runs on a release line. The
 * caller (the route) has checked that the actor is an operator of the host
 * or the host's own credentials;
 * here: the host is an admitted (ACTIVE) host organization, the release is
 * approved, and on a forked line that names its hosts, the host is one of them. The declaration replaces the host's previous one on that line and
 * is published in a newly signed release manifest.
 */
export async function declareHostRelease(input: {
  hostOrgId: string;
  releaseId: string;
  /** A host operator (user) or the host's own credentials (client). */
  actor: { type: "user" | "client"; id: string };
}) {
  const key = await getActiveSigningKey("manifest");
  return db().$transaction(async (tx) => {
    const host = await tx.organization.findUnique({
      where: { id: input.hostOrgId },
      select: { kind: true, status: true },
    });
    if (host?.kind !== "HOST")
      throw new AppError("NOT_FOUND", { userMessage: "No such host.", reason: "UNKNOWN_HOST" });
    if (host.status !== "ACTIVE")
      throw new AppError("FORBIDDEN", {
        userMessage: "Only an admitted host declares a release.",
        reason: "HOST_NOT_ACTIVE",
      });
    const release = await tx.release.findUnique({ where: { id: input.releaseId } });
    if (!release)
      throw new AppError("UNPROCESSABLE", { userMessage: "That release is not approved.", reason: "UNKNOWN_RELEASE" });
    const line = await tx.releaseLine.findUniqueOrThrow({
      where: { id: release.releaseLineId },
      select: { hostOrgIds: true, name: true },
    });
    if (line.hostOrgIds.length > 0 && !line.hostOrgIds.includes(input.hostOrgId)) {
      throw new AppError("FORBIDDEN", {
        userMessage: `The ${line.name} release line is run by the hosts its fork named.`,
        reason: "NOT_A_LINE_HOST",
      });
    }
    const declaredAt = new Date();
    const declaration = await tx.hostReleaseDeclaration.upsert({
      where: { hostOrgId_releaseLineId: { hostOrgId: input.hostOrgId, releaseLineId: release.releaseLineId } },
      create: {
        hostOrgId: input.hostOrgId,
        releaseLineId: release.releaseLineId,
        releaseId: release.id,
        declaredById: input.actor.id,
        declaredAt,
      },
      update: { releaseId: release.id, declaredById: input.actor.id, declaredAt },
    });
    await appendAuditEvent(tx, {
      actor: input.actor,
      action: "host_release.declared",
      subject: { type: "organization", id: input.hostOrgId },
      state: { releaseLineId: release.releaseLineId, releaseId: release.id, version: release.version },
      data: { releaseId: release.id, version: release.version },
    });
    const manifest = await publishReleaseManifest(tx, { key, actor: input.actor });
    return { declaration, manifestSeq: manifest.seq };
  });
}
