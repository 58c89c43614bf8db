import { z } from "zod";
import { defineOperation, isoDateTime } from "@/lib/http/api-contract";
import { proposalKinds } from "@/lib/governance/proposal-kinds";
import { governanceReasons } from "@/app/api/governance/governance-schemas";

export const createProposalRequestSchema = z.object({
  kind: z.enum(proposalKinds),
  title: z.string().max(200),
  content: z.record(z.string(), z.unknown()).meta({ description: "The kind's fields" }),
  windowHours: z.number().int().optional(),
  openNow: z.boolean().default(true),
});
export const createProposalResponseSchema = z.object({
  id: z.string(),
  status: z.enum(["draft", "open", "closed"]),
  digest: z.string().nullable(),
});

const listedProposal = z.object({
  id: z.string(),
  kind: z.string(),
  title: z.string(),
  status: z.enum(["open", "closed"]),
  openedAt: isoDateTime.nullable(),
  closesAt: isoDateTime.nullable(),
  closedAt: isoDateTime.nullable(),
  outcome: z.string().nullable(),
  _count: z.object({ ballots: z.number().int() }),
});
export const listProposalsResponseSchema = z.object({
  open: z.array(listedProposal),
  closed: z.array(listedProposal),
});

export const listProposalsOperation = defineOperation({
  method: "GET",
  path: "/api/governance/proposals",
  operationId: "listProposals",
  summary: "Open and closed proposals",
  auth: "public",
  responses: { 200: { description: "The proposals", schema: listProposalsResponseSchema } },
  reasons: governanceReasons,
});

export const createProposalOperation = defineOperation({
  method: "POST",
  path: "/api/governance/proposals",
  operationId: "createProposal",
  summary: "Propose (and by default open the vote)",
  auth: "session",
  access: "MEMBER, COMMITTER or ORG_ADMIN",
  request: { body: createProposalRequestSchema },
  responses: { 201: { description: "The proposal", schema: createProposalResponseSchema } },
  errors: { 422: "The content names what does not exist, or the window is too short" },
  reasons: governanceReasons,
});
