import "server-only";
import { db } from "@/lib/db/client";
import { findInteraction } from "@/lib/oidc/authorize/interactions";

/**
 * Which application sent the person to sign in, for the sign-in page: the
 * client's name and its host's, read from the live interaction the return
 * path names (/oidc/authorize/resume?interaction=…). Null for any other
 * return path, or an unknown or expired interaction. The interaction id is
 * an unguessable secret the browser holds, so its holder may read this.
 */
export async function getRequestingApp(
  callbackPath: string,
): Promise<{ clientName: string; hostName: string | null } | null> {
  const url = new URL(callbackPath, "http://x");
  const id = url.pathname === "/oidc/authorize/resume" ? url.searchParams.get("interaction") : null;
  if (!id || !/^int_[A-Za-z0-9_-]{10,100}$/.test(id)) return null;
  const interaction = await findInteraction(id);
  if (!interaction) return null;
  const client = await db().oidcClient.findUnique({
    where: { id: interaction.state.request.clientId },
    select: { name: true, hostOrgId: true },
  });
  if (!client) return null;
  const host = client.hostOrgId
    ? await db().organization.findUnique({ where: { id: client.hostOrgId }, select: { name: true } })
    : null;
  return { clientName: client.name, hostName: host?.name ?? null };
}
