import type { Tx } from "@/lib/db/client";
import { assertPermitted } from "@/lib/access/permission";

/** The domain's own check that a user holds FINANCE now, inside the transaction that acts on it. */
export async function requireFinanceUser(tx: Tx, userId: string): Promise<void> {
  await assertPermitted(
    tx,
    { type: "user", id: userId },
    { role: "FINANCE" },
    { userMessage: "Only finance users can do that." },
  );
}
