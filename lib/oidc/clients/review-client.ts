import "server-only";
import { db } from "@/lib/db/client";
import { setClientStatus } from "@/lib/oidc/clients/set-client-status";
import type { ClientStatus } from "@/lib/oidc/clients/create-client";

/** An org admin approves, rejects, suspends or reinstates a client (the caller checked ORG_ADMIN). */
export async function reviewClient(p: { adminId: string; clientId: string; status: Exclude<ClientStatus, "pending"> }) {
  return db().$transaction((tx) => setClientStatus(tx, p.clientId, p.status, { type: "user", id: p.adminId }));
}
