import { z } from "zod";
import { defineOperation, isoDateTime } from "@/lib/http/api-contract";
import { castBallotSchema } from "@/lib/governance/cast-ballot";
import { receiptResponseSchema } from "@/app/api/log/schemas";
import { ballotReasons, proposalIdParams } from "@/app/api/governance/governance-schemas";

export const castBallotResponseSchema = z.object({
  id: z.string(),
  choice: z.number().int().meta({ description: "1, 0 or -1" }),
  castAt: isoDateTime,
  binding: z.boolean().meta({ description: "Whether the voter held a binding vote when it opened" }),
  log: receiptResponseSchema.nullable().meta({
    description: "The ballot's log receipt (awaiting integration for a moment; /api/log/receipt?kind=ballot&id=…)",
  }),
});

export const castBallotOperation = defineOperation({
  method: "POST",
  path: "/api/governance/proposals/{id}/ballots",
  operationId: "castBallot",
  summary: "Record a passkey-signed ballot",
  auth: "session",
  access: "a member or committer on the vote's roster",
  request: { params: proposalIdParams, body: castBallotSchema },
  responses: { 201: { description: "The ballot", schema: castBallotResponseSchema } },
  errors: {
    404: "No such proposal",
    409: "The vote is closed, or the signature was used already",
    422: "The signature does not verify or signs another ballot",
  },
  reasons: ballotReasons,
});
