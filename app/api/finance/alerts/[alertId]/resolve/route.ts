import { apiRoute } from "@/lib/http/api-route";
import { respond } from "@/lib/http/form-or-json";
import { requireAccess } from "@/lib/auth/require-access";
import { resolveFinanceAlert } from "@/lib/finance-alerts/resolve-finance-alert";
import { parseFormOrJsonBody, responseBody } from "@/lib/http/api-contract";
import {
  resolveAlertRequestSchema,
  resolveAlertResponseSchema,
  pathParams,
} from "@/app/api/finance/alerts/[alertId]/resolve/schemas";

/** A finance user marks an alert looked after, saying what was done (kept in the audit log). */
export const POST = apiRoute(
  async (req, { params }) => {
    const { actor } = await requireAccess({ role: "FINANCE" });
    const { reason } = await parseFormOrJsonBody(resolveAlertRequestSchema, req);
    await resolveFinanceAlert({ alertId: params.alertId, reason, actor });
    return respond(req, responseBody(resolveAlertResponseSchema, { resolved: true }), "/finance#alerts");
  },
  { params: pathParams },
);
