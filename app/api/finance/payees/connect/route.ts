import { apiRoute } from "@/lib/http/api-route";
import { readFormOrJson, respond, seeOther } from "@/lib/http/form-or-json";
import { z } from "zod";

const bodySchema = z.object({ country: z.string().max(10).optional() });
import { requireAccess } from "@/lib/auth/require-access";
import { connectPayeeAccount } from "@/lib/payouts/connect-payee-account";

/** Finance connects the developers' fund's account (theaters and hosts connect their own). */
export const POST = apiRoute(async (req) => {
  const { session } = await requireAccess({ role: "FINANCE" });
  const { country } = bodySchema.parse(await readFormOrJson(req));
  const r = await connectPayeeAccount(
    {
      country,
      kind: "developers_fund",
      orgId: null,
      returnPath: "/finance",
    },
    { type: "user", id: session.userId },
  );
  if (r.onboardingUrl && (req.headers.get("accept") ?? "").includes("text/html")) return seeOther(r.onboardingUrl);
  return respond(req, r, "/finance");
});
