import { apiRoute } from "@/lib/http/api-route";
import { requireAccess } from "@/lib/auth/require-access";
import { requirePayeeViewer } from "@/lib/payouts/require-payee-viewer";
import { getPayeeStatementCsv } from "@/lib/payouts/get-payee-statement-csv";
import { answer } from "@/lib/http/api-contract";
import { payeeStatementSchema, pathParams } from "@/app/api/orgs/[slug]/payouts/statement/schemas";

/** A payee's statement as CSV (or JSON with Accept: application/json), for its admins and finance. */
export const GET = apiRoute(
  async (req, { params }) => {
    const { access } = await requireAccess("signed-in");
    const payee = await requirePayeeViewer(access, params.slug);
    const { csv, statement } = await getPayeeStatementCsv(payee.orgId);
    if ((req.headers.get("accept") ?? "").includes("application/json"))
      return answer(payeeStatementSchema, statement, { headers: { "cache-control": "no-store" } });
    return new Response(csv, {
      headers: {
        "content-type": "text/csv; charset=utf-8",
        "content-disposition": `attachment; filename="statement-${params.slug}.csv"`,
        "cache-control": "no-store",
      },
    });
  },
  { params: pathParams },
);
