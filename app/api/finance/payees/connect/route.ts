import { apiRoute } from "@/lib/http/api-route";
import { respond, seeOther } from "@/lib/http/form-or-json";
import { requireAccess } from "@/lib/auth/require-access";
import { connectPayeeAccount } from "@/lib/payouts/connect-payee-account";
import { parseFormOrJsonBody, responseBody } from "@/lib/http/api-contract";
import { payeeConnectRequestSchema, payeeConnectResponseSchema } from "@/app/api/finance/finance-schemas";

/** Finance connects the developers' fund's account (theaters and hosts connect their own). */
export const POST = apiRoute(async (req) => {
  const { actor } = await requireAccess({ role: "FINANCE" });
  const { country } = await parseFormOrJsonBody(payeeConnectRequestSchema, req);
  const r = await connectPayeeAccount({
    actor,
    country,
    kind: "developers_fund",
    orgId: null,
    returnPath: "/finance",
  });
  if (r.onboardingUrl && (req.headers.get("accept") ?? "").includes("text/html")) return seeOther(r.onboardingUrl);
  return respond(req, responseBody(payeeConnectResponseSchema, r), "/finance");
});
