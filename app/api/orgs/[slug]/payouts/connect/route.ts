import { apiRoute } from "@/lib/http/api-route";
import { pathParams } from "@/app/api/orgs/[slug]/payouts/connect/schemas";
import { respond, seeOther } from "@/lib/http/form-or-json";
import { requireAccess } from "@/lib/auth/require-access";
import { parseFormOrJsonBody, responseBody } from "@/lib/http/api-contract";
import { payeeConnectRequestSchema, payeeConnectResponseSchema } from "@/app/api/finance/finance-schemas";
import { connectPayoutAccountAs } from "@/app/orgs/[slug]/payouts/payee-forms";

/** A theater's admin or a host's operator connects the account its payouts go to (Stripe Connect onboarding). */
export const POST = apiRoute(
  async (req, { params }) => {
    const { access, actor } = await requireAccess("signed-in");
    const r = await connectPayoutAccountAs({
      access,
      actor,
      slug: params.slug,
      readInput: () => parseFormOrJsonBody(payeeConnectRequestSchema, req),
    });
    if (r.onboardingUrl && (req.headers.get("accept") ?? "").includes("text/html")) return seeOther(r.onboardingUrl);
    return respond(req, responseBody(payeeConnectResponseSchema, r), `/orgs/${params.slug}/payouts`);
  },
  { params: pathParams },
);
