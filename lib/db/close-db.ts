import "server-only";
import type { Engine } from "@/lib/db/client";
import { processSlot } from "@/lib/process-state";

/** Closes this process's database, if it opened one (the CLI at exit, the tests after each file). */
export async function closeDb(): Promise<void> {
  const slot = processSlot<Engine>("databaseEngine");
  const pending = slot.get();
  slot.set(undefined);
  if (!pending) return;
  await pending.client.$disconnect();
  if (pending.kind === "pglite") await pending.pglite.close();
  else await pending.pool.end();
}
