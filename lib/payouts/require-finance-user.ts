import "server-only";
import type { Tx } from "@/lib/db/client";
import type { Actor } from "@/lib/access/actor";
import { assertPermitted } from "@/lib/access/permission";

/** The domain's own check that the actor holds FINANCE now, inside the transaction that acts on it. */
export async function requireFinanceUser(tx: Tx, actor: Actor): Promise<void> {
  await assertPermitted(tx, actor, { role: "FINANCE" }, { userMessage: "Only finance users can do that." });
}
