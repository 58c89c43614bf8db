import "server-only";
import type { Tx } from "@/lib/db/client";
import type { Actor } from "@/lib/access/actor";
import { setClientStatus } from "@/lib/oidc/clients/set-client-status";

/**
 * For governance (a host admitted, suspended or removed): suspends every
 * approved client of a host, or reinstates its suspended ones. Pending and
 * rejected clients are left as they are. Each change is audited. Returns the
 * ids changed.
 */
export async function setHostClientsStatus(
  tx: Tx,
  { hostOrgId, status, actor }: { hostOrgId: string; status: "approved" | "suspended"; actor: Actor },
): Promise<string[]> {
  const from = status === "suspended" ? "approved" : "suspended";
  const clients = await tx.oidcClient.findMany({ where: { hostOrgId, status: from }, select: { id: true } });
  for (const c of clients) await setClientStatus(tx, { clientId: c.id, status, actor });
  return clients.map((c) => c.id);
}
