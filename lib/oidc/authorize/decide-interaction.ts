import "server-only";
import { db } from "@/lib/db/client";
import type { CurrentSession } from "@/lib/auth/get-current-session";
import { AccessDenied } from "@/lib/oidc/errors";
import { endInteraction, findInteraction, saveInteraction } from "@/lib/oidc/authorize/interactions";
import { authorizationError, untrustedRequestPage } from "@/lib/oidc/authorize/authorization-response";
import { recordConsent } from "@/lib/oidc/grants/record-consent";
import { resumePath, runAuthorization } from "@/lib/oidc/authorize/run-authorization";
import { issuer } from "@/lib/oidc/config";

export type InteractionAction = "allow" | "deny" | "continue" | "switch";

/**
 * The user's answer on the consent or account screen: allow (remember the
 * consent, then continue), deny (access_denied to the client), continue as the
 * signed-in account, or switch account (sign in again, then continue).
 */
export async function decideInteraction(p: {
  id: string;
  action: InteractionAction;
  session: CurrentSession;
}): Promise<Response> {
  const interaction = await findInteraction(p.id);
  if (!interaction)
    return untrustedRequestPage("This sign-in request has expired. Go back to the application and start again.");
  const { request } = interaction.state;
  const target = { redirectUri: request.redirectUri, responseMode: request.responseMode, state: request.state };
  switch (p.action) {
    case "deny":
      await endInteraction(interaction.id);
      return authorizationError(target, new AccessDenied("the user declined"));
    case "allow": {
      await db().$transaction((tx) =>
        recordConsent(tx, { userId: p.session.userId, clientId: request.clientId, scopes: request.scopes }),
      );
      const state = { ...interaction.state, consented: true, accountSelected: true };
      return runAuthorization({ state, interaction: await saveInteraction(state, interaction), session: p.session });
    }
    case "continue": {
      const state = { ...interaction.state, accountSelected: true };
      return runAuthorization({ state, interaction: await saveInteraction(state, interaction), session: p.session });
    }
    case "switch": {
      await saveInteraction({ ...interaction.state, accountSelected: true }, interaction);
      return new Response(null, {
        status: 303,
        headers: {
          location: `${issuer()}/sign-in?callbackUrl=${encodeURIComponent(resumePath(interaction.id))}`,
          "cache-control": "no-store",
        },
      });
    }
  }
}
