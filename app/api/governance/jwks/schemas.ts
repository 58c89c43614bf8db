import { z } from "zod";
import { defineOperation } from "@/lib/http/api-contract";

export const jwksSchema = z.object({
  keys: z.array(z.looseObject({ kty: z.string(), kid: z.string().optional() })).meta({
    description: "Public JWKs (RFC 7517); private members never leave",
  }),
});

export const governanceJwksOperation = defineOperation({
  method: "GET",
  path: "/api/governance/jwks",
  operationId: "getGovernanceJwks",
  summary: "The keys that sign release manifests and tallies",
  auth: "public",
  responses: { 200: { description: "A JWK set", schema: jwksSchema } },
  reasons: [],
});
