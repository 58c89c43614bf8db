import { apiRoute } from "@/lib/http/api-route";
import { proposalIdParams } from "@/app/api/governance/governance-schemas";
import { buildProposalExport } from "@/lib/governance/build-proposal-export";
import { attachLogProofs } from "@/lib/governance/attach-log-proofs";

/**
 * Public: everything needed to re-verify a proposal offline
 * (`npm run cli -- governance verify ID --file export.json [--log-key VKEY]`), with the ballots' and the tally's
 * log entries and their inclusion proofs.
 */
export const GET = apiRoute(
  async (_req, { params }) => {
    const exported = await attachLogProofs(await buildProposalExport(params.id));
    return new Response(JSON.stringify(exported, null, 2), {
      headers: {
        "content-type": "application/json",
        "cache-control": "no-store",
        "content-disposition": `inline; filename="${params.id}.json"`,
      },
    });
  },
  { crossOrigin: true, params: proposalIdParams },
);
