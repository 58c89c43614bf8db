import "server-only";
import { db, type Tx } from "@/lib/db/client";
import { env } from "@/lib/config/env";
import { AppError } from "@/lib/errors/app-error";
import { log } from "@/lib/log";

/**
 * Governance's notion of "now": the wall clock, plus an offset that tests can
 * move forward to let a 72-hour window pass in a second.
 *
 * Why this is safe: the offset is read only when the process was started with
 * GUILDHALL_TEST_CLOCK=1, an explicit flag an operator never sets (it is not
 * in any production template, and the portal logs a warning and every public
 * governance page shows a banner while it is on). Without the flag the row is
 * ignored, whatever it holds. With the flag, moving the clock needs write
 * access to the database, which already allows editing a proposal's window
 * directly; and a ballot cannot be forged either way, because its signature
 * is the voter's passkey's. The offset only ever grows, so time never runs
 * backwards for a vote.
 */
let warned = false;

/**
 * Where a governance operation reads "now" (every opening, ballot and close).
 * The operations take one, defaulting to governanceNow; the demo seed passes
 * its own (lib/demo/seed-demo-closed-vote.ts), so the demo's closed vote ran
 * its whole window through the same checks. No request can choose it: the
 * routes never pass one.
 */
export type GovernanceTimeSource = (client?: Tx) => Promise<Date>;

export function testClockEnabled(): boolean {
  return env().testClock;
}

export async function governanceNow(client: Tx = db()): Promise<Date> {
  if (!env().testClock) return new Date();
  if (!warned) {
    warned = true;
    log.warn("GUILDHALL_TEST_CLOCK=1: governance time follows the test clock; never run like this in production");
  }
  const row = await client.governanceClock.findUnique({ where: { id: 1 } });
  return new Date(Date.now() + Number(row?.offsetMs ?? 0n));
}

/** Moves the test clock forward (tests and `cli governance clock advance`). */
export async function advanceTestClock(ms: number): Promise<Date> {
  if (!env().testClock) {
    throw new AppError("FORBIDDEN", {
      userMessage: "The test clock is off: start with GUILDHALL_TEST_CLOCK=1 (tests only).",
      reason: "TEST_CLOCK_OFF",
    });
  }
  if (!Number.isSafeInteger(ms) || ms <= 0)
    throw new AppError("VALIDATION_FAILED", { userMessage: "The clock only moves forward." });
  await db().governanceClock.upsert({
    where: { id: 1 },
    create: { id: 1, offsetMs: BigInt(ms) },
    update: { offsetMs: { increment: BigInt(ms) } },
  });
  return governanceNow();
}
