import "server-only";
import type { Tx } from "@/lib/db/client";
import type { Actor } from "@/lib/access/actor";
import { proposalContentSchemas, type ProposalKind } from "@/lib/governance/proposal-kinds";
import { approveRelease } from "@/lib/governance/outcomes/approve-release";
import { openForkedReleaseLine } from "@/lib/governance/outcomes/open-forked-release-line";
import { changeRoster } from "@/lib/governance/outcomes/change-roster";
import { setHostAdmission } from "@/lib/governance/outcomes/set-host-admission";
import { activateSplitPolicy } from "@/lib/governance/outcomes/activate-split-policy";
import type { OutcomeEffect, OutcomeKeys } from "@/lib/governance/outcomes/outcome-effect";
import { changeFederationQuorum } from "@/lib/governance/outcomes/change-federation-quorum";

type PassedProposal = { id: string; kind: string; title: string; content: unknown; closedAt: Date };

/**
 * What a passed proposal does, in the transaction that closes it, so the
 * outcome and its effect commit together:
 *  - release: enters the release manifest (re-signed) and the service configuration;
 *  - fork: opens a new release line from an approved release (manifest and configuration re-signed);
 *  - roster change: grants or revokes MEMBER / COMMITTER;
 *  - host admission / removal: the host organization becomes ACTIVE or
 *    SUSPENDED (lib/orgs), its OIDC clients follow (lib/oidc), and a
 *    declared federation member joins or leaves the service configuration;
 *  - federation quorum: the service configuration carries the new rule;
 *  - split-policy change: that version becomes active in payments (lib/payouts);
 *  - policy and code of conduct: the adopted text is the proposal itself.
 */
export async function applyProposalOutcome(
  tx: Tx,
  { proposal: p, keys, actor }: { proposal: PassedProposal; keys: OutcomeKeys; actor: Actor },
): Promise<OutcomeEffect> {
  const kind = p.kind as ProposalKind;
  switch (kind) {
    case "release":
      return approveRelease(tx, {
        proposal: { ...p, content: proposalContentSchemas.release.parse(p.content) },
        keys,
        actor,
      });
    case "fork":
      return openForkedReleaseLine(tx, {
        proposal: { ...p, content: proposalContentSchemas.fork.parse(p.content) },
        keys,
        actor,
      });
    case "roster_change":
      return changeRoster(tx, {
        proposal: { ...p, content: proposalContentSchemas.roster_change.parse(p.content) },
        actor,
      });
    case "host_admission":
    case "host_removal":
      return setHostAdmission(tx, {
        proposal: { ...p, kind, content: proposalContentSchemas[kind].parse(p.content) },
        keys,
        actor,
      });
    case "policy":
    case "code_of_conduct":
      return { effectStatus: "none", effectNote: "Adopted: the text of this proposal is the policy in force." };
    case "split_policy":
      return activateSplitPolicy(tx, {
        proposal: { ...p, content: proposalContentSchemas.split_policy.parse(p.content) },
        actor,
      });
    case "federation_quorum":
      return changeFederationQuorum(tx, {
        proposal: { ...p, content: proposalContentSchemas.federation_quorum.parse(p.content) },
        keys,
        actor,
      });
  }
}
