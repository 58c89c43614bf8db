import { apiRoute } from "@/lib/http/api-route";
import { requireAccess } from "@/lib/auth/require-access";
import { createProposal } from "@/lib/governance/create-proposal";
import { listProposals } from "@/lib/governance/list-proposals";
import { answer, parseBody } from "@/lib/http/api-contract";
import {
  createProposalRequestSchema,
  createProposalResponseSchema,
  listProposalsResponseSchema,
} from "@/app/api/governance/proposals/schemas";

/** Public: open and closed proposals. */
export const GET = apiRoute(async () =>
  answer(listProposalsResponseSchema, await listProposals(), { headers: { "cache-control": "no-store" } }),
);

/** Members, committers and org admins propose. */
export const POST = apiRoute(async (req) => {
  const { actor } = await requireAccess({ anyRole: ["MEMBER", "COMMITTER", "ORG_ADMIN"] });
  const body = await parseBody(createProposalRequestSchema, req);
  const proposal = await createProposal({ ...body, actor });
  return answer(createProposalResponseSchema, proposal, { status: 201 });
});
