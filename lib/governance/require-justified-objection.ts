import "server-only";
import { AppError } from "@/lib/errors/app-error";
import type { Rule } from "@/lib/governance/verifier/tally-rules";
import type { BallotChoice } from "@/lib/governance/verifier/ballot-content";

/**
 * On a consensus vote (policy, code of conduct) a -1 blocks the proposal, so it
 * must say why: the Apache way, where a veto without a justification is void.
 * Refused before the passkey is asked for and again when the ballot arrives,
 * so a -1 without words is never recorded, instead of being recorded and then
 * silently not counted as a veto.
 */
export function requireJustifiedObjection(
  rule: Pick<Rule, "type">,
  choice: BallotChoice,
  justification: string | null,
): void {
  if (rule.type === "consensus" && choice === -1 && !justification?.trim())
    throw new AppError("UNPROCESSABLE", {
      userMessage:
        "A -1 on this vote is a veto: write your justification (what is wrong, and what would change your vote) before you sign.",
      reason: "JUSTIFICATION_REQUIRED",
    });
}
