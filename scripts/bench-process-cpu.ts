// CPU time of processes, read from /proc (Linux), for the benchmarks that print a server's CPU per request:
// on a shared machine the rate depends on what else runs, the CPU a request costs much less.
import fs from "node:fs";

const USER_HZ = 100; // the unit of utime and stime in /proc/<pid>/stat on Linux

export type ProcessTable = Map<number, { ppid: number; command: string; ticks: number }>;

/** Every process's parent, command name and CPU ticks (user and system) so far, read from /proc once. */
export function processTable(): ProcessTable {
  const procs: ProcessTable = new Map();
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
      // "pid (comm) ", then: state ppid pgrp session tty_nr tpgid flags minflt cminflt majflt cmajflt utime stime
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      procs.set(Number(entry), {
        ppid: Number(fields[1]),
        command: stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")")),
        ticks: Number(fields[11]) + Number(fields[12]),
      });
    } catch {
      /* the process ended while we looked */
    }
  }
  return procs;
}

/** CPU seconds used by a process and all its descendants. */
export function processTreeCpuSeconds(procs: ProcessTable, rootPid: number): number {
  let ticks = 0;
  for (const [pid, p] of procs) {
    for (let at: number | undefined = pid; at !== undefined && at > 1; at = procs.get(at)?.ppid) {
      if (at === rootPid) {
        ticks += p.ticks;
        break;
      }
    }
  }
  return ticks / USER_HZ;
}

/** CPU seconds used by every PostgreSQL server process on this machine (backends, WAL writer, autovacuum). */
export function postgresCpuSeconds(procs: ProcessTable): number {
  let ticks = 0;
  for (const p of procs.values()) if (p.command === "postgres") ticks += p.ticks;
  return ticks / USER_HZ;
}
