import "server-only";
import type { Tx } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { appendAuditEvent } from "@/lib/audit/append-audit-event";
import type { Actor } from "@/lib/access/actor";
import { splitPolicyView } from "@/lib/splits/split-policy-view";
import { limits } from "@/lib/config/limits";

export type ActivationPath = { kind: "finance-approvals" } | { kind: "governance"; proposalId: string };

/**
 * Makes a drafted split-policy version the active one of its product kind and
 * currency, superseding the version active before. Two paths, both kept:
 * - "finance-approvals": two different users who hold FINANCE now approved it;
 * - "governance": a passed vote (the governance domain calls this with the proposal id).
 * Runs in the caller's transaction so the outcome and the activation commit together.
 */
export async function activateSplitPolicyVersion(
  tx: Tx,
  { policyVersionId, via, actor }: { policyVersionId: string; via: ActivationPath; actor: Actor },
) {
  const [locked] = await tx.$queryRaw<
    { id: string }[]
  >`SELECT "id" FROM "SplitPolicy" WHERE "id" = ${policyVersionId} FOR UPDATE`;
  if (!locked)
    throw new AppError("NOT_FOUND", { userMessage: "No such split policy version.", reason: "SPLIT_POLICY_NOT_FOUND" });
  const policy = await tx.splitPolicy.findUniqueOrThrow({ where: { id: policyVersionId } });
  if (policy.status !== "draft")
    throw new AppError("CONFLICT", {
      userMessage: `This version is ${policy.status}, not a draft.`,
      reason: "SPLIT_POLICY_NOT_DRAFT",
    });
  if (via.kind === "finance-approvals") {
    const approvers = await tx.splitPolicyApproval.findMany({
      where: { policyId: policy.id },
      select: { userId: true },
    });
    const stillFinance = await tx.userRole.count({
      where: { role: "FINANCE", userId: { in: approvers.map((a) => a.userId) } },
    });
    if (stillFinance < limits.approvals.splitPolicy) {
      throw new AppError("CONFLICT", {
        userMessage: "Two different finance users must approve this version first.",
        reason: "APPROVALS_MISSING",
      });
    }
  }
  const now = new Date();
  const previous = await tx.splitPolicy.findMany({
    where: { productKind: policy.productKind, currency: policy.currency, status: "active" },
    select: { id: true },
  });
  await tx.splitPolicy.updateMany({
    where: { id: { in: previous.map((p) => p.id) } },
    data: { status: "superseded", supersededAt: now },
  });
  const activated = await tx.splitPolicy.update({
    where: { id: policy.id },
    data: {
      status: "active",
      activatedAt: now,
      activatedVia: via.kind,
      proposalId: via.kind === "governance" ? via.proposalId : null,
    },
  });
  await appendAuditEvent(tx, {
    actor,
    action: "split_policy.activated",
    subject: { type: "split_policy", id: policy.id },
    state: { status: "active", via, supersedes: previous.map((p) => p.id) },
    data: {
      productKind: policy.productKind,
      currency: policy.currency,
      version: policy.version,
      via: via.kind,
      ...(via.kind === "governance" ? { proposalId: via.proposalId } : {}),
    },
  });
  return splitPolicyView(activated);
}
