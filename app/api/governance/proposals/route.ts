import { z } from "zod";
import { apiRoute, readJson } from "@/lib/http/api-route";
import { requireAccess } from "@/lib/auth/require-access";
import { createProposal } from "@/lib/governance/create-proposal";
import { listProposals } from "@/lib/governance/list-proposals";
import { proposalKinds } from "@/lib/governance/proposal-kinds";

const bodySchema = z.object({
  kind: z.enum(proposalKinds),
  title: z.string().max(200),
  content: z.record(z.string(), z.unknown()),
  windowHours: z.number().int().optional(),
  openNow: z.boolean().default(true),
});

/** Public: open and closed proposals. */
export const GET = apiRoute(async () =>
  Response.json(await listProposals(), { headers: { "cache-control": "no-store" } }),
);

/** Members, committers and org admins propose. */
export const POST = apiRoute(async (req) => {
  const { session } = await requireAccess({ anyRole: ["MEMBER", "COMMITTER", "ORG_ADMIN"] });
  const body = bodySchema.parse(await readJson(req));
  const proposal = await createProposal({ ...body, actorId: session.userId });
  return Response.json({ id: proposal.id, status: proposal.status, digest: proposal.digest }, { status: 201 });
});
