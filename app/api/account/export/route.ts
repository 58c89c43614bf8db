import { apiRoute } from "@/lib/http/api-route";
import { requireAccess } from "@/lib/auth/require-access";
import { buildAccountExport } from "@/lib/portability/build-account-export";

/** Everything Guildhall holds about the signed-in person, as one JSON file (docs/EXPORTS.md). */
export const GET = apiRoute(async () => {
  const { session } = await requireAccess("signed-in");
  const data = await buildAccountExport(session.userId);
  return new Response(`${JSON.stringify(data, null, 2)}\n`, {
    headers: {
      "content-type": "application/json",
      "content-disposition": `attachment; filename="guildhall-account-${data.exportedAt.slice(0, 10)}.json"`,
      "cache-control": "no-store",
    },
  });
});
