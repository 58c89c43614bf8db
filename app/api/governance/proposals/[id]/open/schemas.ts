import { z } from "zod";
import { defineOperation, isoDateTime } from "@/lib/http/api-contract";
import { governanceReasons, proposalIdParams } from "@/app/api/governance/governance-schemas";

export const openProposalResponseSchema = z.object({
  id: z.string(),
  status: z.enum(["draft", "open", "closed"]),
  digest: z.string().nullable(),
  closesAt: isoDateTime.nullable(),
});

export const openProposalOperation = defineOperation({
  method: "POST",
  path: "/api/governance/proposals/{id}/open",
  operationId: "openProposal",
  summary: "Open a draft for voting",
  auth: "session",
  access: "the proposer or an org admin",
  request: { params: proposalIdParams },
  responses: { 200: { description: "The proposal", schema: openProposalResponseSchema } },
  errors: { 404: "No such proposal", 409: "Not a draft" },
  reasons: governanceReasons,
});
