import { z } from "zod";
import { defineOperation } from "@/lib/http/api-contract";
import { ballotChoiceSchema } from "@/lib/governance/ballot-choice-schema";
import { authenticationOptionsSchema } from "@/app/api/auth/webauthn-schemas";
import { ballotContentSchema, ballotReasons, proposalIdParams } from "@/app/api/governance/governance-schemas";

export const ballotOptionsRequestSchema = ballotChoiceSchema.extend({
  digestConfirmed: z.boolean(),
});
export const ballotOptionsResponseSchema = z.object({
  ballot: ballotContentSchema.meta({ description: "What the voter signs: the challenge is its hash" }),
  options: authenticationOptionsSchema,
});

export const ballotOptionsOperation = defineOperation({
  method: "POST",
  path: "/api/governance/proposals/{id}/ballot-options",
  operationId: "startBallot",
  summary: "The ballot to sign and the WebAuthn options whose challenge is its hash",
  auth: "session",
  access: "a member or committer on the vote's roster",
  request: { params: proposalIdParams, body: ballotOptionsRequestSchema },
  responses: { 200: { description: "The ballot and the options", schema: ballotOptionsResponseSchema } },
  errors: { 404: "No such proposal", 409: "The vote is not open", 422: "A veto without justification" },
  reasons: ballotReasons,
});
