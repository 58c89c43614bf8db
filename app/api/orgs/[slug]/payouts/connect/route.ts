import { apiRoute } from "@/lib/http/api-route";
import { respond, seeOther } from "@/lib/http/form-or-json";
import { requireAccess } from "@/lib/auth/require-access";
import { requirePayeeViewer } from "@/lib/payouts/require-payee-viewer";
import { connectPayeeAccount } from "@/lib/payouts/connect-payee-account";
import { parseFormOrJsonBody, responseBody } from "@/lib/http/api-contract";
import { payeeConnectRequestSchema, payeeConnectResponseSchema } from "@/app/api/finance/finance-schemas";

/** A theater's admin or a host's operator connects the account its payouts go to (Stripe Connect onboarding). */
export const POST = apiRoute<{ slug: string }>(async (req, { params }) => {
  const { access, session } = await requireAccess("signed-in");
  const payee = await requirePayeeViewer(access, params.slug, { manage: true });
  const { country } = await parseFormOrJsonBody(payeeConnectRequestSchema, req);
  const r = await connectPayeeAccount(
    {
      country,
      kind: payee.kind,
      orgId: payee.orgId,
      returnPath: `/orgs/${params.slug}/payouts`,
    },
    { type: "user", id: session.userId },
  );
  if (r.onboardingUrl && (req.headers.get("accept") ?? "").includes("text/html")) return seeOther(r.onboardingUrl);
  return respond(req, responseBody(payeeConnectResponseSchema, r), `/orgs/${params.slug}/payouts`);
});
