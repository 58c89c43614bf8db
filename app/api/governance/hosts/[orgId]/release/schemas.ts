import { z } from "zod";
import { defineOperation } from "@/lib/http/api-contract";
import { governanceFailureReasons } from "@/lib/governance/failure-reasons";
import { federationFailureReasons } from "@/lib/federation/failure-reasons";
import { checkoutApiFailureReasons } from "@/lib/payments/failure-reasons";

export const declareReleaseRequestSchema = z.object({ releaseId: z.string().min(3).max(64) });
export const declareReleaseResponseSchema = z.object({
  hostOrgId: z.string(),
  releaseLineId: z.string(),
  releaseId: z.string(),
  manifestSeq: z.number().int().meta({ description: "The release manifest that now lists the declaration" }),
});

/** The path parameters, parsed by the route (apiRoute's `params`) and published in the OpenAPI document. */
export const pathParams = z.object({ orgId: z.string() });

export const declareReleaseOperation = defineOperation({
  method: "PUT",
  path: "/api/governance/hosts/{orgId}/release",
  operationId: "declareHostRelease",
  summary: "A host declares the release it runs",
  description:
    "A host's deploy script calls with the host's own client (an access token carrying release:declare); a person does it signed in as an operator of the host. Credentials of another host are refused.",
  auth: "session-or-host-token",
  scopes: ["release:declare"],
  access: "the host's operators, or its own client",
  request: { params: pathParams, body: declareReleaseRequestSchema },
  responses: { 200: { description: "The declaration", schema: declareReleaseResponseSchema } },
  errors: { 404: "No such host", 422: "The release is not approved, or not of the host's release line" },
  reasons: [
    governanceFailureReasons,
    federationFailureReasons,
    {
      invalid_token: checkoutApiFailureReasons.invalid_token,
      insufficient_scope: "The access token lacks release:declare.",
    },
  ],
});
