import { apiRoute } from "@/lib/http/api-route";
import { requireTheaterActor } from "@/lib/licensing/require-theater-actor";
import { startLicensePurchase } from "@/lib/licensing/start-license-purchase";
import { answer } from "@/lib/http/api-contract";
import { licensePurchaseResponseSchema, licenseIdParams } from "@/app/api/licensing/licensing-schemas";

/** Pays for a pending license, or renews an active or expired one: answers the checkout URL. */
export const POST = apiRoute(
  async (req, { params }) => {
    const actor = await requireTheaterActor(req);
    return answer(licensePurchaseResponseSchema, await startLicensePurchase({ licenseId: params.licenseId, actor }), {
      status: 201,
    });
  },
  { params: licenseIdParams },
);
