import type { Metadata } from "next";
import { requirePageAccess } from "@/lib/auth/require-page-access";
import { listProposalChoices } from "@/lib/governance/list-proposal-choices";
import { proposalKindLabels } from "@/lib/governance/proposal-kinds";
import { NewProposalForm } from "./new-proposal-form";

export const metadata: Metadata = { title: "New proposal" };

/** Members, committers and org admins make proposals. */
export default async function NewProposalPage() {
  await requirePageAccess({ anyRole: ["MEMBER", "COMMITTER", "ORG_ADMIN"] }, "/governance/new");
  const choices = await listProposalChoices();
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold">New proposal</h1>
      <NewProposalForm choices={choices} kindLabels={proposalKindLabels} />
    </div>
  );
}
