import { z } from "zod";
import { defineOperation } from "@/lib/http/api-contract";
import { governanceReasons, proposalIdParams, tallySchema } from "@/app/api/governance/governance-schemas";

export const closeProposalResponseSchema = z.object({
  id: z.string(),
  outcome: z.enum(["passed", "rejected"]),
  reason: z.string().meta({ description: "Why, in words" }),
  tally: tallySchema,
  effect: z.object({ effectStatus: z.enum(["applied", "none"]), effectNote: z.string() }),
});

export const closeProposalOperation = defineOperation({
  method: "POST",
  path: "/api/governance/proposals/{id}/close",
  operationId: "closeProposal",
  summary: "Close a vote whose window has passed (the periodic sweep does it too)",
  auth: "session",
  access: "MEMBER, COMMITTER or ORG_ADMIN",
  request: { params: proposalIdParams },
  responses: { 200: { description: "The outcome", schema: closeProposalResponseSchema } },
  errors: { 404: "No such proposal", 409: "Already closed, or the window is not over" },
  reasons: governanceReasons,
});
