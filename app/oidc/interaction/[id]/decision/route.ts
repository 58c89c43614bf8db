import { z } from "zod";
import { apiRoute } from "@/lib/http/api-route";
import { readForm } from "@/lib/http/form-or-json";
import { getCurrentSession } from "@/lib/auth/get-current-session";
import { decideInteraction } from "@/lib/oidc/authorize/decide-interaction";
import { resumePath } from "@/lib/oidc/authorize/run-authorization";
import { issuer } from "@/lib/oidc/config";

const formSchema = z.object({ action: z.enum(["allow", "deny", "continue", "switch"]) });

/** The consent / account form's POST: same-origin only (apiRoute's Origin check), signed in. */
export const POST = apiRoute<{ id: string }>(async (req, { params }) => {
  const { action } = formSchema.parse(await readForm(req));
  const session = await getCurrentSession();
  if (!session)
    return new Response(null, {
      status: 303,
      headers: { location: `${issuer()}/sign-in?callbackUrl=${encodeURIComponent(resumePath(params.id))}` },
    });
  return decideInteraction({ id: params.id, action, session });
});
