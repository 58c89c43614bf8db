import { apiRoute } from "@/lib/http/api-route";
import { respond } from "@/lib/http/form-or-json";
import { requireAccess } from "@/lib/auth/require-access";
import { parseFormOrJsonBody, responseBody } from "@/lib/http/api-contract";
import { usageReportRequestSchema, usageReportResponseSchema, pathParams } from "@/app/api/orgs/[slug]/usage/schemas";
import { reportUsageAs } from "@/app/orgs/[slug]/payouts/payee-forms";

/** A host's operator reports its usage for a month, unsigned (reportUsageAs says when that is refused). */
export const POST = apiRoute(
  async (req, { params }) => {
    const { access, actor } = await requireAccess("signed-in");
    const report = await reportUsageAs({
      access,
      actor,
      slug: params.slug,
      readInput: () => parseFormOrJsonBody(usageReportRequestSchema, req),
    });
    return respond(req, responseBody(usageReportResponseSchema, report), `/orgs/${params.slug}/payouts`);
  },
  { params: pathParams },
);
