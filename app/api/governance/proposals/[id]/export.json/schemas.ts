import { z } from "zod";
import { defineOperation } from "@/lib/http/api-contract";
import { PROPOSAL_EXPORT_FORMAT } from "@/lib/governance/verifier/export-format";
import { governanceReasons, proposalIdParams } from "@/app/api/governance/governance-schemas";

/**
 * The export is a document the domain builds field by field (lib/governance/build-proposal-export.ts,
 * ProposalExport in lib/governance/verifier/export-format.ts), not a row: its top level is described here.
 */
export const proposalExportSchema = z.looseObject({ format: z.literal(PROPOSAL_EXPORT_FORMAT) }).meta({
  description:
    "The proposal, its roster, every ballot with its passkey signature, the signed tally, the keys, and the log entries with inclusion proofs (docs/GOVERNANCE.md)",
});

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
