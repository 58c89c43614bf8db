import "server-only";
import { db } from "@/lib/db/client";

/** The user's unrevoked consent to a client, or null. */
export async function findLiveGrant({ userId, clientId }: { userId: string; clientId: string }) {
  const grant = await db().oidcGrant.findUnique({ where: { userId_clientId: { userId, clientId } } });
  return grant && !grant.revokedAt ? grant : null;
}
