import "server-only";
import type { Tx } from "@/lib/db/client";
import { isAppError } from "@/lib/errors/app-error";
import type { Actor } from "@/lib/access/actor";
import { activateSplitPolicyVersion } from "@/lib/splits/activate-split-policy-version";
import type { ProposalContent } from "@/lib/governance/proposal-kinds";
import type { OutcomeEffect } from "@/lib/governance/outcomes/outcome-effect";

/**
 * A passed split-policy change activates that version in payments, by the
 * "governance" path (instead of two finance approvals). If the version can no
 * longer be activated (finance activated or superseded it meanwhile), the
 * vote still closes with its signed result and the note says why nothing
 * changed: payments refuses before writing anything, so the transaction is intact.
 */
export async function activateSplitPolicy(
  tx: Tx,
  { proposal: p, actor }: { proposal: { id: string; content: ProposalContent<"split_policy"> }; actor: Actor },
): Promise<OutcomeEffect> {
  try {
    const activated = await activateSplitPolicyVersion(tx, {
      policyVersionId: p.content.policyVersionId,
      via: { kind: "governance", proposalId: p.id },
      actor,
    });
    return {
      effectStatus: "applied",
      effectNote: `Split policy ${activated.id} (version ${activated.version}) is now active for ${activated.productKind} in ${activated.currency}.`,
    };
  } catch (e) {
    if (isAppError(e) && (e.reason === "SPLIT_POLICY_NOT_FOUND" || e.reason === "SPLIT_POLICY_NOT_DRAFT")) {
      return {
        effectStatus: "none",
        effectNote: `Passed, but payments could not activate ${p.content.policyVersionId}: ${e.userMessage}`,
      };
    }
    throw e;
  }
}
