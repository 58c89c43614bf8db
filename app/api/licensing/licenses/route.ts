import { z } from "zod";
import { apiRoute, readJson } from "@/lib/http/api-route";
import { getUserAccess } from "@/lib/access/user-access";
import { requireTheaterActor } from "@/lib/licensing/require-theater-actor";
import { listTheaterLicenses } from "@/lib/licensing/list-licenses";
import { startLicensePurchase } from "@/lib/licensing/start-license-purchase";

/** The licenses of the theaters the caller administers (a token sees its one theater). */
export const GET = apiRoute(async (req) => {
  const actor = await requireTheaterActor(req);
  const access = await getUserAccess(actor.id);
  const orgIds = access.memberships
    .filter((m) => m.role === "THEATER_ADMIN" && (!actor.token || m.orgId === actor.token.orgId))
    .map((m) => m.orgId);
  return Response.json({ licenses: await listTheaterLicenses(orgIds) }, { headers: { "cache-control": "no-store" } });
});

const buySchema = z.object({ theaterOrgId: z.string().min(1).max(100), planId: z.string().min(1).max(100) });

/** Buys a plan for a theater: answers the checkout URL to send the buyer to. */
export const POST = apiRoute(async (req) => {
  const actor = await requireTheaterActor(req);
  const input = buySchema.parse(await readJson(req));
  return Response.json(await startLicensePurchase({ ...input, actor }), { status: 201 });
});
