import { z } from "zod";
import { apiRoute } from "@/lib/http/api-route";
import { readFormOrJson, respond } from "@/lib/http/form-or-json";
import { requireAccess } from "@/lib/auth/require-access";
import { resolveFinanceAlert } from "@/lib/finance-alerts/resolve-finance-alert";

const bodySchema = z.object({ reason: z.string().trim().min(3).max(500) });

/** A finance user marks an alert looked after, saying what was done (kept in the audit log). */
export const POST = apiRoute<{ alertId: string }>(async (req, { params }) => {
  const { session } = await requireAccess({ role: "FINANCE" });
  const { reason } = bodySchema.parse(await readFormOrJson(req));
  await resolveFinanceAlert({ alertId: params.alertId, reason }, session.userId);
  return respond(req, { resolved: true }, "/finance#alerts");
});
