import { appendFileSync, existsSync, writeFileSync } from "node:fs";
import { db } from "@/lib/db/client";
import { appendAuditEvent } from "@/lib/audit/append-audit-event";
import { integrateLog } from "@/lib/transparency/integrate-log";

/**
 * One process of tests/integration/transparency/concurrent-integrators.test.ts:
 * for `SECONDS`, appends small batches of audit events (as business
 * transactions do) and runs the integrator after each, as a portal instance's
 * background task would, writing every checkpoint it committed to `OUT`.
 * Arguments: OUT SECONDS NAME OTHER (the other process's name, waited for).
 * On a loaded machine one process may lose every race for the integrator's
 * lock for SECONDS (the other sweeps its events first): it goes on until it
 * has committed a checkpoint of its own, for up to a minute more, so the test
 * sees both integrate whatever the machine's load.
 */
const [out, seconds, name, other] = process.argv.slice(2);
// A barrier: both processes start appending together, however long each took to start on a busy machine.
await db().auditEvent.count();
writeFileSync(`${out}.${name}.ready`, "");
while (!existsSync(`${out}.${other}.ready`)) await new Promise((resolve) => setTimeout(resolve, 20));
const until = Date.now() + Number(seconds) * 1000;
const atTheLatest = until + 60_000;
let n = 0;
let committed = false;
while (Date.now() < until || (!committed && Date.now() < atTheLatest)) {
  const batch = 1 + (n % 7);
  await db().$transaction(async (tx) => {
    for (let i = 0; i < batch; i++, n++)
      await appendAuditEvent(tx, {
        actor: { type: "system", id: name },
        action: "license.activated",
        subject: { type: "license", id: `lic_${name}_${n}` },
        state: { n },
        data: { by: name },
        requestId: `req_${name}`,
      });
  });
  const result = await integrateLog();
  if (result.checkpoint) {
    appendFileSync(out, `${JSON.stringify({ by: name, size: result.size, note: result.checkpoint })}\n`);
    committed = true;
  }
}
await db().$disconnect?.();
process.exit(0);
