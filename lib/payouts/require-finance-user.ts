import type { Tx } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";

/** The domain's own check that a user holds FINANCE now, inside the transaction that acts on it. */
export async function requireFinanceUser(tx: Tx, userId: string): Promise<void> {
  const role = await tx.userRole.findUnique({ where: { userId_role: { userId, role: "FINANCE" } } });
  if (!role) throw new AppError("FORBIDDEN", { userMessage: "Only finance users can do that." });
}
