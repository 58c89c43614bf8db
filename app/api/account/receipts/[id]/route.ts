import { apiRoute } from "@/lib/http/api-route";
import { pathParams } from "@/app/api/account/receipts/[id]/schemas";
import { requireAccess } from "@/lib/auth/require-access";
import { getReceiptOfUserOrThrow } from "@/lib/payments/receipts/get-receipt-of-user";

/** One of the signed-in person's receipts as a file: the compact JWS as signed (another's is 404). */
export const GET = apiRoute(
  async (_req, { params }) => {
    const { session } = await requireAccess("signed-in");
    const receipt = await getReceiptOfUserOrThrow({ userId: session.userId, receiptId: params.id });
    return new Response(`${receipt.jws}\n`, {
      headers: {
        "content-type": "application/jose",
        "content-disposition": `attachment; filename="${receipt.id}.jws"`,
        "cache-control": "no-store",
      },
    });
  },
  { params: pathParams },
);
