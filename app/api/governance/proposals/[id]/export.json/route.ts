import { apiRoute } from "@/lib/http/api-route";
import { buildProposalExport } from "@/lib/governance/build-proposal-export";

/**
 * Public: everything needed to re-verify a proposal offline
 * (`npm run cli -- governance verify ID --file export.json`).
 */
export const GET = apiRoute<{ id: string }>(
  async (_req, { params }) => {
    const exported = await buildProposalExport(params.id);
    return new Response(JSON.stringify(exported, null, 2), {
      headers: {
        "content-type": "application/json",
        "cache-control": "no-store",
        "content-disposition": `inline; filename="${params.id}.json"`,
      },
    });
  },
  { crossOrigin: true },
);
