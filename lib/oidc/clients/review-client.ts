import "server-only";
import { db } from "@/lib/db/client";
import type { Actor } from "@/lib/access/actor";
import { assertPermitted } from "@/lib/access/permission";
import { setClientStatus } from "@/lib/oidc/clients/set-client-status";
import type { ClientStatus } from "@/lib/oidc/clients/create-client";

/** An org admin approves, rejects, suspends or reinstates a client. */
export async function reviewClient({
  actor,
  clientId,
  status,
}: {
  actor: Actor;
  clientId: string;
  status: Exclude<ClientStatus, "pending">;
}) {
  return db().$transaction(async (tx) => {
    await assertPermitted(tx, actor, { role: "ORG_ADMIN" });
    return setClientStatus(tx, { clientId, status, actor });
  });
}
