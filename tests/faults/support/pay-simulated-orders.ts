/**
 * A customer's browser, many times over, as its own process on the test's database: pays each order of the
 * list (a file of order ids, one a line) with the simulated test card that succeeds, `PAYERS` at a time,
 * through completeSimulatedCheckout, as the simulated checkout page does. Prints `attempt <id>` before each
 * payment and `paid <id>` or `failed <id> <reason>` after, so the test knows what was tried when the process
 * is killed. A failed payment is not retried: the customer gave up, and only the payments sweep can settle
 * an order whose charge went through.
 */
import fs from "node:fs";
import { installComposition } from "@/lib/composition/composition";
import { portalComposition } from "@/lib/composition/portal-composition";
import { completeSimulatedCheckout } from "@/lib/payments/complete-simulated-checkout";
import { closeDb } from "@/lib/db/close-db";

installComposition(portalComposition);
const ids = fs.readFileSync(process.argv[2], "utf8").split("\n").filter(Boolean);
const payers = Number(process.env.PAYERS ?? "1");
let next = 0;

async function payer() {
  while (next < ids.length) {
    const id = ids[next++];
    process.stdout.write(`attempt ${id}\n`);
    try {
      const r = await completeSimulatedCheckout({ orderId: id, cardNumber: "4242424242424242" });
      process.stdout.write(`${r.result} ${id}\n`);
    } catch (e) {
      process.stdout.write(
        `failed ${id} ${(e instanceof Error ? e.message : String(e)).replace(/\s+/g, " ").slice(0, 200)}\n`,
      );
    }
  }
}

await Promise.all(Array.from({ length: payers }, payer));
await closeDb();
