import { apiRoute } from "@/lib/http/api-route";
import { pathParams } from "@/app/api/licensing/theaters/[orgId]/backup/schemas";
import { requireTheaterActor } from "@/lib/licensing/require-theater-actor";
import { buildTheaterBackup } from "@/lib/portability/build-theater-backup";

/**
 * The theater's signed backup (docs/EXPORTS.md), for its admin: signed in, or
 * the management client with the theater's API token (`guildhall-theater export`).
 */
export const GET = apiRoute(
  async (req, { params }) => {
    const actor = await requireTheaterActor(req);
    const file = await buildTheaterBackup({ theaterOrgId: params.orgId, actor });
    const day = file.backup.origin.exportedAt.slice(0, 10);
    return new Response(`${JSON.stringify(file, null, 2)}\n`, {
      headers: {
        "content-type": "application/json",
        "content-disposition": `attachment; filename="${file.backup.theater.slug}-backup-${day}.json"`,
        "cache-control": "no-store",
      },
    });
  },
  { params: pathParams },
);
