import { z } from "zod";
import { apiRoute } from "@/lib/http/api-route";
import { readFormOrJson, respond } from "@/lib/http/form-or-json";
import { requireAccess } from "@/lib/auth/require-access";
import { AppError } from "@/lib/errors/app-error";
import { requirePayeeViewer } from "@/lib/payouts/require-payee-viewer";
import { reportHostUsage } from "@/lib/splits/report-host-usage";

const usageSchema = z.object({ period: z.string(), units: z.coerce.number().int() });

/** A host's operator reports its usage for a month; it weights the hosts' share under a "usage" policy. */
export const POST = apiRoute<{ slug: string }>(async (req, { params }) => {
  const { access, session } = await requireAccess("signed-in");
  const payee = await requirePayeeViewer(access, params.slug, { manage: true });
  if (payee.kind !== "host_payable") throw new AppError("NOT_FOUND", { userMessage: "Only hosts report usage." });
  const { period, units } = usageSchema.parse(await readFormOrJson(req));
  const report = await reportHostUsage({ hostOrgId: payee.orgId, period, units }, { type: "user", id: session.userId });
  return respond(req, report, `/orgs/${params.slug}/payouts`);
});
