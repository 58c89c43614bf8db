import "server-only";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { appendAuditEvent } from "@/lib/audit/append-audit-event";
import { assertPermitted } from "@/lib/access/permission";
import { auditActorOf, type UserActor } from "@/lib/access/actor";
import { activateSplitPolicyVersion } from "@/lib/splits/activate-split-policy-version";
import { splitPolicyView } from "@/lib/splits/split-policy-view";
import { limits } from "@/lib/config/limits";

/**
 * One finance user's approval of a drafted version. The second approval by a
 * different finance user activates it in the same transaction. Checks: the
 * approver holds FINANCE, the version is a draft, this user has not approved it.
 */
export async function approveSplitPolicy({ actor, policyId }: { actor: UserActor; policyId: string }) {
  const userId = actor.id;
  return db().$transaction(async (tx) => {
    await assertPermitted(
      tx,
      actor,
      { role: "FINANCE" },
      { userMessage: "Only finance users approve split policies." },
    );
    const [row] = await tx.$queryRaw<
      { status: string }[]
    >`SELECT "status" FROM "SplitPolicy" WHERE "id" = ${policyId} FOR UPDATE`;
    if (!row)
      throw new AppError("NOT_FOUND", {
        userMessage: "No such split policy version.",
        reason: "SPLIT_POLICY_NOT_FOUND",
      });
    if (row.status !== "draft")
      throw new AppError("CONFLICT", {
        userMessage: `This version is ${row.status}, not a draft.`,
        reason: "SPLIT_POLICY_NOT_DRAFT",
      });
    const mine = await tx.splitPolicyApproval.findUnique({ where: { policyId_userId: { policyId, userId } } });
    if (mine)
      throw new AppError("CONFLICT", {
        userMessage: "You have already approved this version; another finance user must.",
        reason: "ALREADY_APPROVED",
      });
    await tx.splitPolicyApproval.create({ data: { policyId, userId } });
    await appendAuditEvent(tx, {
      actor: auditActorOf(actor),
      action: "split_policy.approved",
      subject: { type: "split_policy", id: policyId },
      state: { approvedBy: userId },
      data: { userId },
    });
    const approvals = await tx.splitPolicyApproval.count({ where: { policyId } });
    if (approvals >= limits.approvals.splitPolicy)
      return activateSplitPolicyVersion(tx, {
        policyVersionId: policyId,
        via: { kind: "finance-approvals" },
        actor: auditActorOf(actor),
      });
    return splitPolicyView(await tx.splitPolicy.findUniqueOrThrow({ where: { id: policyId } }));
  });
}
