import { logSource } from "./log-source";
import {
  entryFilter,
  MonitorAlarm,
  monitorOnce,
  readMonitorState,
  writeMonitorState,
  type MonitorState,
} from "./monitor";

export type MonitorOptions = {
  log: string;
  /** The log's key; on a first run without it, the one the log serves (/log/key) is taken and kept in the state. */
  key?: string;
  stateFile: string;
  witnesses?: string[];
  quorum?: number;
  subjects?: string[];
  actions?: string[];
  all?: boolean;
  start?: "first" | "latest";
  /** Poll again every this many seconds, until stopped; once when absent. */
  followSeconds?: number;
  json?: boolean;
  write: (line: string) => void;
  warn: (line: string) => void;
};

/**
 * The monitor's loop, shared by `log-verify monitor`, `npm run cli -- log
 * monitor` and the theater client: poll, print what matters, keep the state.
 * Exit code 0; 1 on an alarm (the log contradicts itself or what was seen),
 * which also stops a follow.
 */
export async function runMonitor(o: MonitorOptions): Promise<number> {
  const source = logSource(o.log);
  let state: MonitorState | null = await readMonitorState(o.stateFile);
  let logKey = o.key ?? state?.logKey;
  if (!logKey) {
    logKey = (await source.text("key")).trim();
    o.warn(`no --key given: trusting the key the log serves now, kept in ${o.stateFile}: ${logKey}`);
  } else if (state && state.logKey !== logKey)
    o.warn(`the key given is not the one in ${o.stateFile}; the log's key changed?`);
  const filter = entryFilter(o);
  for (;;) {
    try {
      const polled = await monitorOnce({
        source,
        logKey,
        witnesses: o.witnesses,
        quorum: o.quorum,
        state,
        filter,
        start: o.start,
      });
      for (const r of polled.reports)
        o.write(
          o.json
            ? JSON.stringify({ type: "entry", ...r })
            : `entry ${r.index} ${r.at} ${r.action} ${r.subject}: ${r.why}`,
        );
      const summary = {
        type: "checkpoint",
        size: polled.checkpoint.size,
        newEntries: polled.newEntries,
        reported: polled.reports.length,
        cosigners: polled.checkpoint.cosigners.map((c) => c.name),
        stale: polled.stale,
      };
      o.write(
        o.json
          ? JSON.stringify(summary)
          : `checkpoint ${summary.size} verified${polled.stale ? " (a stale copy, a prefix of what was seen)" : ""}: ${summary.newEntries} new entries, ${summary.reported} reported, cosigned by ${summary.cosigners.length ? summary.cosigners.join(", ") : "no witness given"}`,
      );
      state = polled.state;
      await writeMonitorState(o.stateFile, state);
    } catch (err) {
      if (err instanceof MonitorAlarm) {
        o.warn(`ALARM: ${err.message}`);
        if (o.json) o.write(JSON.stringify({ type: "alarm", message: err.message }));
        return 1;
      }
      // A log that cannot be reached, or a checkpoint without its signature or quorum: said, and tried again.
      o.warn(`poll failed: ${err instanceof Error ? err.message : String(err)}`);
      if (!o.followSeconds) return 1;
    }
    if (!o.followSeconds) return 0;
    await new Promise((resolve) => setTimeout(resolve, (o.followSeconds as number) * 1000));
  }
}
