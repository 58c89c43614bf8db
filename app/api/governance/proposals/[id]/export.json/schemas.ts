import { defineOperation } from "@/lib/http/api-contract";
import { proposalExportSchema } from "@/lib/governance/proposal-export-schema";
import { governanceReasons, proposalIdParams } from "@/app/api/governance/governance-schemas";

/** The export is described field by field where the domain defines it (lib/governance/proposal-export-schema.ts). */
export const proposalExportOperation = defineOperation({
  method: "GET",
  path: "/api/governance/proposals/{id}/export.json",
  operationId: "exportProposal",
  summary: "Everything needed to re-verify a proposal offline",
  description: "`npm run cli -- governance verify ID --file export.json`",
  auth: "public",
  request: { params: proposalIdParams },
  responses: { 200: { description: "The export", schema: proposalExportSchema } },
  errors: { 404: "No such proposal (or a draft)" },
  reasons: governanceReasons,
});
