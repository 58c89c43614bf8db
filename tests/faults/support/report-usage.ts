/**
 * Hosts reporting their monthly usage, as their own process on the test's database: sends each report of the
 * list (a file of `hostOrgId period units key` lines) through reportHostUsage, `REPORTERS` at a time, pausing
 * `REPORT_PAUSE_MS` after each. Prints `attempt <key>` before each and `reported <key> <units>` or
 * `refused <key> <reason>` after. With GUILDHALL_CRASH_AFTER_REPORTS=N the process kills itself with SIGKILL as
 * it starts its N-th report, while the others are in flight (reportHostUsage has no crash point of its own:
 * its one transaction either commits or does not).
 */
import fs from "node:fs";
import { installComposition } from "@/lib/composition/composition";
import { portalComposition } from "@/lib/composition/portal-composition";
import { reportHostUsage } from "@/lib/splits/report-host-usage";
import { systemActor } from "@/lib/access/actor";
import { closeDb } from "@/lib/db/close-db";

installComposition(portalComposition);
const reports = fs
  .readFileSync(process.argv[2], "utf8")
  .split("\n")
  .filter(Boolean)
  .map((line) => {
    const [hostOrgId, period, units, key] = line.split(" ");
    return { hostOrgId, period, units: Number(units), key };
  });
const actor = systemActor("usage-faults");
const reporters = Number(process.env.REPORTERS ?? "1");
const pauseMs = Number(process.env.REPORT_PAUSE_MS ?? "0");
const crashAt = Number(process.env.GUILDHALL_CRASH_AFTER_REPORTS ?? "0");
let next = 0;

async function reporter() {
  while (next < reports.length) {
    const { key, ...r } = reports[next++];
    process.stdout.write(`attempt ${key}\n`);
    if (crashAt > 0 && next === crashAt) setTimeout(() => process.kill(process.pid, "SIGKILL"), Math.random() * 30);
    try {
      const row = await reportHostUsage({ actor, ...r });
      process.stdout.write(`reported ${key} ${row.units}\n`);
    } catch (e) {
      const err = e as { reason?: string; name?: string };
      process.stdout.write(`refused ${key} ${String(err.reason ?? err.name).replace(/\s+/g, " ")}\n`);
    }
    await new Promise((r) => setTimeout(r, pauseMs));
  }
}

await Promise.all(Array.from({ length: reporters }, reporter));
await closeDb();
