import { apiRoute, errorToResponse } from "@/lib/http/api-route";
import { isMalformedInput } from "@/lib/http/untrusted-text";
import { getCurrentSession } from "@/lib/auth/get-current-session";
import { findInteraction } from "@/lib/oidc/authorize/interactions";
import { untrustedRequestPage } from "@/lib/oidc/authorize/authorization-response";
import { runAuthorization } from "@/lib/oidc/authorize/run-authorization";

/** Where sign-in sends the user back: the saved authorization request continues. */
export const GET = apiRoute(
  async (req) => {
    const id = new URL(req.url).searchParams.get("interaction") ?? "";
    const interaction = await findInteraction(id);
    if (!interaction)
      return untrustedRequestPage("This sign-in request has expired. Go back to the application and start again.");
    return runAuthorization({ state: interaction.state, interaction, session: await getCurrentSession() });
  },
  { refuse: (e, request) => (isMalformedInput(e) ? untrustedRequestPage(e.userMessage) : errorToResponse(e, request)) },
);
