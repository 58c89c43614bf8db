import "server-only";
import { CompactSign } from "jose";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { canonicalJson } from "@/lib/crypto/canonical-json";
import { appendAuditEvent } from "@/lib/audit/append-audit-event";
import type { Actor } from "@/lib/access/actor";
import { getActiveSigningKey } from "@/lib/keys/get-active-signing-key";
import { governanceNow } from "@/lib/governance/clock";
import { buildProposalExportInTx, governanceJwks } from "@/lib/governance/build-proposal-export";
import { applyProposalOutcome } from "@/lib/governance/outcomes/apply-proposal-outcome";
import type { OutcomeEffect } from "@/lib/governance/outcomes/outcome-effect";
import { verifyProposalExport } from "@/lib/governance/verifier/verify-proposal-export";
import type { SignedTallyPayload } from "@/lib/governance/verifier/export-format";

export const SIGNED_TALLY_TYPE = "guildhall-tally+jws";

/**
 * Closes a vote whose window has passed. Checks, then acts, in one transaction:
 *  1. the proposal is open and its window has ended (nobody closes early);
 *  2. every stored ballot re-verifies with the public verifier (a vote whose
 *     stored ballots were altered is not closed, it is reported);
 *  3. the tally and outcome are computed by the same rules the verifier uses,
 *     signed with the governance key and stored;
 *  4. a passed proposal's effect is applied (release manifest, fork, roster,
 *     host status) and everything is audited.
 */
export async function closeProposal({ proposalId, actor }: { proposalId: string; actor: Actor }) {
  const [tallyKey, manifestKey, federationKey, jwks] = await Promise.all([
    getActiveSigningKey("governance"),
    getActiveSigningKey("manifest"),
    getActiveSigningKey("federation"),
    governanceJwks(),
  ]);
  return db().$transaction(
    async (tx) => {
      await tx.$executeRaw`SELECT 1 FROM "Proposal" WHERE "id" = ${proposalId} FOR UPDATE`;
      const proposal = await tx.proposal.findUnique({ where: { id: proposalId } });
      if (!proposal || proposal.status === "draft")
        throw new AppError("NOT_FOUND", { userMessage: "No such open proposal." });
      if (proposal.status === "closed")
        throw new AppError("CONFLICT", { userMessage: "This vote is already closed.", reason: "ALREADY_CLOSED" });
      const now = await governanceNow(tx);
      if (!proposal.closesAt || now < proposal.closesAt) {
        throw new AppError("CONFLICT", {
          userMessage: `This vote is open until ${proposal.closesAt?.toISOString()}; nobody can close it before.`,
          reason: "WINDOW_NOT_OVER",
        });
      }
      const exported = await buildProposalExportInTx(tx, proposalId, jwks);
      const verdict = verifyProposalExport(exported);
      if (!verdict.ok) {
        throw new AppError("CONFLICT", {
          userMessage: `Stored ballots fail verification; the vote is not closed: ${verdict.problems[0]}`,
          reason: "BALLOTS_FAIL_VERIFICATION",
        });
      }
      const closedAt = now;
      const { tally, outcome, reason, countedBallotIds } = verdict.recomputed;
      // The tally names the log entries it counted: a ballot deleted, added or altered later no longer matches.
      const countedLogEntries = verdict.recomputed.countedLogEntries ?? [];
      const signed: SignedTallyPayload = {
        proposalId,
        proposalDigest: exported.proposal.digest,
        closedAt: closedAt.toISOString(),
        tally,
        outcome,
        countedBallotIds,
        countedLogEntries,
      };
      const tallyJws = await new CompactSign(new TextEncoder().encode(canonicalJson(signed)))
        .setProtectedHeader({ alg: tallyKey.alg, kid: tallyKey.kid, typ: SIGNED_TALLY_TYPE })
        .sign(tallyKey.privateKey);
      await tx.proposal.update({
        where: { id: proposalId },
        data: {
          status: "closed",
          closedAt,
          outcome,
          tally: { tally, outcome, reason, countedBallotIds, countedLogEntries },
          tallyJws,
        },
      });
      await appendAuditEvent(tx, {
        actor,
        action: "proposal.closed",
        subject: { type: "proposal", id: proposalId },
        state: signed,
        data: { outcome, reason, binding: tally.binding, countedLogEntries },
      });

      let effect: OutcomeEffect = { effectStatus: "none", effectNote: "Rejected: nothing changes." };
      if (outcome === "passed")
        effect = await applyProposalOutcome(tx, {
          proposal: { id: proposalId, kind: proposal.kind, title: proposal.title, content: proposal.content, closedAt },
          keys: { manifest: manifestKey, federation: federationKey },
          actor,
        });
      await tx.proposal.update({ where: { id: proposalId }, data: effect });
      await appendAuditEvent(tx, {
        actor,
        action: "proposal.outcome_applied",
        subject: { type: "proposal", id: proposalId },
        state: { outcome, ...effect },
        data: { outcome, ...effect },
      });
      return { proposalId, outcome, reason, tally, effect };
    },
    // Closing does CPU work inside the transaction (every ballot re-verified, the tally, the release manifest and
    // the service configuration signed), which a loaded machine stretches past Prisma's 5 s default.
    { timeout: 30_000, maxWait: 15_000 },
  );
}
