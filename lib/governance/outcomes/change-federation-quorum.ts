import "server-only";
import type { Tx } from "@/lib/db/client";
import type { Actor } from "@/lib/access/actor";
import type { ProposalContent } from "@/lib/governance/proposal-kinds";
import type { OutcomeEffect, OutcomeKeys } from "@/lib/governance/outcomes/outcome-effect";
import { publishServiceConfiguration } from "@/lib/governance/federation/publish-service-configuration";
import { describeQuorumRule } from "@/lib/governance/federation/quorum-rule";

/** A passed federation-quorum change: the next service configuration carries the new rule. */
export async function changeFederationQuorum(
  tx: Tx,
  {
    proposal: p,
    keys,
    actor,
  }: { proposal: { id: string; content: ProposalContent<"federation_quorum"> }; keys: OutcomeKeys; actor: Actor },
): Promise<OutcomeEffect> {
  const config = await publishServiceConfiguration(tx, {
    key: keys.federation,
    cause: { kind: "quorum_changed", proposalId: p.id },
    quorum: p.content.quorum,
    actor,
  });
  return {
    effectStatus: "applied",
    effectNote: `Backends now open with ${describeQuorumRule(p.content.quorum)}; service configuration version ${config.version} signed.`,
  };
}
