import { apiRoute } from "@/lib/http/api-route";
import { respond } from "@/lib/http/form-or-json";
import { requireAccess } from "@/lib/auth/require-access";
import { createSplitPolicy } from "@/lib/splits/create-split-policy";
import { parseFormOrJsonBody, responseBody } from "@/lib/http/api-contract";
import { splitPolicySchema } from "@/app/api/finance/finance-schemas";
import { createSplitPolicyRequestSchema } from "@/app/api/finance/policies/schemas";

export const POST = apiRoute(async (req) => {
  const { actor } = await requireAccess({ role: "FINANCE" });
  const terms = await parseFormOrJsonBody(createSplitPolicyRequestSchema, req);
  const policy = await createSplitPolicy({ ...terms, actor });
  return respond(req, responseBody(splitPolicySchema, policy), "/finance/policies", 201);
});
