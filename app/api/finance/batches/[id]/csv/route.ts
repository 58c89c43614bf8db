import { apiRoute } from "@/lib/http/api-route";
import { batchIdParams } from "@/app/api/finance/finance-schemas";
import { requireAccess } from "@/lib/auth/require-access";
import { getPayoutBatchCsv } from "@/lib/payouts/get-payout-batch-csv";

export const GET = apiRoute(
  async (_req, { params }) => {
    await requireAccess({ role: "FINANCE" });
    const csv = await getPayoutBatchCsv(params.id);
    return new Response(csv, {
      headers: {
        "content-type": "text/csv; charset=utf-8",
        "content-disposition": `attachment; filename="${params.id}.csv"`,
        "cache-control": "no-store",
      },
    });
  },
  { params: batchIdParams },
);
