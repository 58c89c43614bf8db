import { apiRoute } from "@/lib/http/api-route";
import { AppError } from "@/lib/errors/app-error";
import { submitSignedUsageReport } from "@/lib/federation/submit-signed-usage-report";
import { answer } from "@/lib/http/api-contract";
import { signedUsageReportSchema, usageReportReceiptSchema } from "@/app/api/federation/usage-reports/schemas";

/**
 * A host reports its monthly usage, signed with its admitted federation key
 * (`Content-Type: application/jose`, the compact JWS as the body). The
 * signature is the host's credential here; the report is kept with it.
 */
export const POST = apiRoute(
  async (req) => {
    if (!(req.headers.get("content-type") ?? "").startsWith("application/jose"))
      throw new AppError("VALIDATION_FAILED", {
        userMessage: "Send the signed report as application/jose.",
        reason: "BAD_REPORT",
      });
    const body = signedUsageReportSchema.safeParse((await req.text()).trim());
    if (!body.success)
      throw new AppError("VALIDATION_FAILED", { userMessage: "The report is too large.", reason: "BAD_REPORT" });
    const r = await submitSignedUsageReport(body.data);
    return answer(usageReportReceiptSchema, { ...r, signedAt: r.signedAt ?? undefined }, { status: 201 });
  },
  { crossOrigin: true },
);
