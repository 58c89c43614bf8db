import { apiRoute } from "@/lib/http/api-route";
import { getUserAccess } from "@/lib/access/user-access";
import { requireTheaterActor } from "@/lib/licensing/require-theater-actor";
import { listTheaterLicenses } from "@/lib/licensing/list-licenses";
import { startLicensePurchase } from "@/lib/licensing/start-license-purchase";
import { answer, parseBody } from "@/lib/http/api-contract";
import { licensePurchaseResponseSchema } from "@/app/api/licensing/licensing-schemas";
import { buyLicenseRequestSchema, theaterLicensesResponseSchema } from "@/app/api/licensing/licenses/schemas";

/** The licenses of the theaters the caller administers (a token sees its one theater). */
export const GET = apiRoute(async (req) => {
  const actor = await requireTheaterActor(req);
  const access = await getUserAccess(actor.id);
  const orgIds = access.memberships
    .filter((m) => m.role === "THEATER_ADMIN" && (!actor.token || m.orgId === actor.token.orgId))
    .map((m) => m.orgId);
  return answer(
    theaterLicensesResponseSchema,
    { licenses: await listTheaterLicenses(orgIds) },
    { headers: { "cache-control": "no-store" } },
  );
});

/** Buys a plan for a theater: answers the checkout URL to send the buyer to. */
export const POST = apiRoute(async (req) => {
  const actor = await requireTheaterActor(req);
  const input = await parseBody(buyLicenseRequestSchema, req);
  return answer(licensePurchaseResponseSchema, await startLicensePurchase({ ...input, actor }), { status: 201 });
});
