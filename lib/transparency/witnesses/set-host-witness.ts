import "server-only";
import { db, type Tx } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { newId } from "@/lib/ids";
import { type Actor, auditActorOf } from "@/lib/access/actor";
import { assertPermitted } from "@/lib/access/permission";
import { appendAuditEvent } from "@/lib/audit/append-audit-event";
import { parseVerifierKey } from "@/lib/merkle/signed-note";
import { witnessDeclarationSchema, type WitnessDeclaration } from "@/lib/transparency/witnesses/witness-declaration";
import { forgetPublishedCheckpoint } from "@/lib/transparency/witnesses/published-checkpoint";

function checkedReason(reason: string): string {
  const trimmed = reason.trim();
  if (trimmed.length < 3 || trimmed.length > 500)
    throw new AppError("VALIDATION_FAILED", {
      userMessage: "Give a reason of 3 to 500 characters.",
      reason: "NO_REASON",
    });
  return trimmed;
}

/** Whether another host's current witness has this key (one key cosigns for one host). */
export async function witnessKeyHeldByAnotherHost(
  tx: Tx,
  { hostOrgId, verifierKey }: { hostOrgId: string; verifierKey: string },
): Promise<boolean> {
  const holder = await tx.logWitness.findFirst({
    where: { verifierKey: verifierKey.trim(), retiredAt: null, hostOrgId: { not: hostOrgId } },
    select: { id: true },
  });
  return holder !== null;
}

/**
 * Records a host's witness (its cosigner key and URL) inside a transaction
 * that acts already (an admission's outcome, or the admin act below): the
 * host's previous witness, if any, is retired, and the act is an audit event
 * (so a log entry: who cosigns is public). The witness counts toward the
 * quorum only while its host is admitted.
 */
export async function recordHostWitness(
  tx: Tx,
  { actor, ...p }: { actor: Actor } & { hostOrgId: string; declaration: WitnessDeclaration; cause: string },
): Promise<{ witnessId: string; name: string }> {
  const host = await tx.organization.findUnique({ where: { id: p.hostOrgId }, select: { kind: true } });
  if (host?.kind !== "HOST")
    throw new AppError("NOT_FOUND", { userMessage: "No such host organization.", reason: "NO_SUCH_HOST" });
  const { name } = parseVerifierKey(p.declaration.verifierKey);
  if (await witnessKeyHeldByAnotherHost(tx, { hostOrgId: p.hostOrgId, verifierKey: p.declaration.verifierKey }))
    throw new AppError("CONFLICT", {
      userMessage: "That witness key is another host's witness.",
      reason: "WITNESS_KEY_TAKEN",
    });
  const retired = await tx.logWitness.updateMany({
    where: { hostOrgId: p.hostOrgId, retiredAt: null },
    data: { retiredAt: new Date() },
  });
  const witnessId = newId("wit");
  await tx.logWitness.create({
    data: {
      id: witnessId,
      hostOrgId: p.hostOrgId,
      name,
      verifierKey: p.declaration.verifierKey,
      url: p.declaration.url,
    },
  });
  await appendAuditEvent(tx, {
    actor,
    action: "log_witness.set",
    subject: { type: "organization", id: p.hostOrgId },
    state: { witnessId, hostOrgId: p.hostOrgId, name, verifierKey: p.declaration.verifierKey, url: p.declaration.url },
    data: {
      witnessId,
      name,
      verifierKey: p.declaration.verifierKey,
      url: p.declaration.url,
      replaced: retired.count,
      cause: p.cause,
    },
  });
  return { witnessId, name };
}

/** The admin act: an ORG_ADMIN (or the operator's CLI) sets a host's witness, with a reason. */
export async function setHostWitness({
  actor,
  ...input
}: { actor: Actor } & { hostOrgId: string; verifierKey: string; url: string; reason: string }) {
  const parsed = witnessDeclarationSchema.safeParse({ verifierKey: input.verifierKey, url: input.url });
  if (!parsed.success)
    throw new AppError("VALIDATION_FAILED", {
      userMessage: parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; "),
      reason: "BAD_WITNESS",
    });
  const reason = checkedReason(input.reason);
  const set = await db().$transaction(async (tx) => {
    await assertPermitted(tx, actor, { role: "ORG_ADMIN" });
    return recordHostWitness(tx, {
      hostOrgId: input.hostOrgId,
      declaration: parsed.data,
      cause: `set by an admin: ${reason}`,
      actor: auditActorOf(actor),
    });
  });
  forgetPublishedCheckpoint();
  return set;
}

/** The admin act that takes a host's witness out (its key was lost, the host stopped running one). */
export async function removeHostWitness({ actor, ...input }: { actor: Actor } & { hostOrgId: string; reason: string }) {
  const reason = checkedReason(input.reason);
  const removed = await db().$transaction(async (tx) => {
    await assertPermitted(tx, actor, { role: "ORG_ADMIN" });
    const current = await tx.logWitness.findFirst({ where: { hostOrgId: input.hostOrgId, retiredAt: null } });
    if (!current)
      throw new AppError("NOT_FOUND", { userMessage: "That host has no witness.", reason: "NO_SUCH_WITNESS" });
    await tx.logWitness.update({ where: { id: current.id }, data: { retiredAt: new Date() } });
    await appendAuditEvent(tx, {
      actor: auditActorOf(actor),
      action: "log_witness.removed",
      subject: { type: "organization", id: input.hostOrgId },
      state: { witnessId: current.id, hostOrgId: input.hostOrgId, retired: true },
      data: { witnessId: current.id, name: current.name, reason },
    });
    return { witnessId: current.id };
  });
  forgetPublishedCheckpoint();
  return removed;
}
