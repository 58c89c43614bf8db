import "server-only";
import { db, type Tx } from "@/lib/db/client";
import { witnessKeyHeldByAnotherHost } from "@/lib/transparency/witnesses/set-host-witness";
import { newId } from "@/lib/ids";
import { AppError, type FailureReason } from "@/lib/errors/app-error";
import { appendAuditEvent } from "@/lib/audit/append-audit-event";
import type { UserActor } from "@/lib/access/actor";
import { proposalContentSchemas, type ProposalKind } from "@/lib/governance/proposal-kinds";
import { getGovernanceRule } from "@/lib/governance/get-governance-rule";
import { ensureMainReleaseLine } from "@/lib/release-lines/ensure-main-release-line";
import { openProposalInTx } from "@/lib/governance/open-proposal";
import { governanceNow, type GovernanceTimeSource } from "@/lib/governance/clock";
import { checkFederationDeclaration } from "@/lib/governance/federation/check-federation-declaration";
import type { FederationDeclaration } from "@/lib/governance/federation/host-declaration";

export type CreateProposalInput = {
  kind: ProposalKind;
  title: string;
  content: unknown;
  windowHours?: number;
  openNow: boolean;
  /** Last, so a request body spread before it cannot name another actor. */
  actor: UserActor;
};

function unprocessable(userMessage: string, reason: FailureReason): AppError {
  return new AppError("UNPROCESSABLE", { userMessage, reason });
}

/** Checks that what a proposal names exists, so a vote is never held on nothing. */
async function checkReferences(tx: Tx, kind: ProposalKind, content: Record<string, unknown>) {
  if (kind === "release") {
    await ensureMainReleaseLine(tx);
    const line = await tx.releaseLine.findUnique({ where: { id: String(content.releaseLineId) } });
    if (!line) throw unprocessable("That release line does not exist.", "UNKNOWN_RELEASE_LINE");
    const taken = await tx.release.findUnique({
      where: { releaseLineId_version: { releaseLineId: line.id, version: String(content.version) } },
    });
    if (taken)
      throw unprocessable(`Version ${String(content.version)} is already approved on ${line.name}.`, "VERSION_TAKEN");
  }
  if (kind === "fork") {
    if (!(await tx.release.findUnique({ where: { id: String(content.fromReleaseId) } })))
      throw unprocessable("A fork starts from an approved release.", "UNKNOWN_RELEASE");
    if (await tx.releaseLine.findUnique({ where: { name: String(content.lineName) } }))
      throw unprocessable("A release line of that name exists.", "LINE_NAME_TAKEN");
    const hostIds = content.hostOrgIds as string[];
    const hosts = await tx.organization.count({ where: { id: { in: hostIds }, kind: "HOST" } });
    if (hosts !== new Set(hostIds).size)
      throw unprocessable("Every host of a fork must be a host organization.", "UNKNOWN_HOST");
  }
  if (kind === "host_admission" || kind === "host_removal") {
    const org = await tx.organization.findUnique({ where: { id: String(content.hostOrgId) }, select: { kind: true } });
    if (org?.kind !== "HOST") throw unprocessable("That is not a host organization.", "UNKNOWN_HOST");
    if (content.federation)
      await checkFederationDeclaration(tx, String(content.hostOrgId), content.federation as FederationDeclaration);
    const witness = content.witness as { verifierKey: string } | undefined;
    if (
      witness &&
      (await witnessKeyHeldByAnotherHost(tx, {
        hostOrgId: String(content.hostOrgId),
        verifierKey: witness.verifierKey,
      }))
    )
      throw unprocessable("That witness key is another host's witness.", "WITNESS_KEY_TAKEN");
  }
  if (kind === "split_policy") {
    // Read-only look at payments' version, so a vote is never held on a policy that cannot be activated.
    const policy = await tx.splitPolicy.findUnique({
      where: { id: String(content.policyVersionId) },
      select: { status: true },
    });
    if (!policy) throw unprocessable("No such split-policy version.", "UNKNOWN_SPLIT_POLICY");
    if (policy.status !== "draft")
      throw unprocessable("Only a drafted split-policy version can be voted on.", "SPLIT_POLICY_NOT_DRAFT");
  }
  if (kind === "roster_change") {
    if (!(await tx.user.findUnique({ where: { id: String(content.userId) }, select: { id: true } })))
      throw unprocessable("No such user.", "UNKNOWN_USER");
  }
}

/**
 * Makes a proposal as a draft, with the kind's current rule copied onto it,
 * and opens it at once when asked (at `clock`'s now). The window is at least the rule's minimum.
 */
export async function createProposal(input: CreateProposalInput, clock: GovernanceTimeSource = governanceNow) {
  const content = proposalContentSchemas[input.kind].parse(input.content) as Record<string, unknown>;
  const title = input.title.trim();
  if (title.length < 3 || title.length > 200)
    throw new AppError("VALIDATION_FAILED", { userMessage: "The title must be 3 to 200 characters." });
  return db().$transaction(async (tx) => {
    const rule = await getGovernanceRule(input.kind, tx);
    const windowHours = input.windowHours ?? rule.minWindowHours;
    if (!Number.isInteger(windowHours) || windowHours < rule.minWindowHours || windowHours > 24 * 60) {
      throw unprocessable(`A ${input.kind} vote stays open at least ${rule.minWindowHours} hours.`, "WINDOW_TOO_SHORT");
    }
    await checkReferences(tx, input.kind, content);
    const proposal = await tx.proposal.create({
      data: {
        id: newId("prop"),
        kind: input.kind,
        title,
        content: content as object,
        rule,
        status: "draft",
        windowHours,
        createdById: input.actor.id,
      },
    });
    await appendAuditEvent(tx, {
      actor: input.actor,
      action: "proposal.created",
      subject: { type: "proposal", id: proposal.id },
      state: { kind: proposal.kind, title, content, rule, windowHours },
      data: { kind: proposal.kind, title },
    });
    if (input.openNow) return openProposalInTx(tx, { actor: input.actor, proposalId: proposal.id }, clock);
    return proposal;
  });
}
