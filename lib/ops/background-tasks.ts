import "server-only";
import { runExclusively } from "@/lib/db/run-exclusively";
import { metrics } from "@/lib/ops/metrics";
import { log } from "@/lib/log";
import { processSlot } from "@/lib/process-state";

export type BackgroundTask = {
  name: string;
  intervalMs: number;
  run: () => Promise<unknown>;
  /** Run by one instance at a time (lib/db/run-exclusively.ts); the others skip that round. */
  exclusive: boolean;
  /**
   * Whether a round's result says it left work waiting (a bounded batch that was full): the next round then
   * starts at once rather than at the interval's end.
   */
  behind?: (result: unknown) => boolean;
};

type TaskState = { timers: Set<NodeJS.Timeout>; running: Map<string, Promise<void>>; stopped: boolean };

const state: TaskState = processSlot<TaskState>("backgroundTasks").getOrInit(() => ({
  timers: new Set(),
  running: new Map(),
  stopped: false,
}));

/** Runs one round; true when it ran and said it left work waiting. */
async function runOnce(task: BackgroundTask): Promise<boolean> {
  try {
    const outcome = task.exclusive ? await runExclusively(task.name, task.run) : { ran: true, value: await task.run() };
    metrics().backgroundTaskRuns.inc({ task: task.name, outcome: outcome.ran ? "ran" : "skipped" });
    return outcome.ran && (task.behind?.(outcome.value) ?? false);
  } catch (err) {
    metrics().backgroundTaskRuns.inc({ task: task.name, outcome: "failed" });
    log.warn({ task: task.name, err: err instanceof Error ? err.message : String(err) }, "background task failed");
    return false;
  }
}

/**
 * How long to wait before a task's next round, the last having started `roundMs` ago: a round starts every
 * `intervalMs`, at once when the last took longer, and at once when it left work waiting. (An interval timer
 * skipped the tick that fell during a long round: a round of 600 ms every 500 ms then ran once a second, and the
 * log's checkpoints came less often than every second while it was busy.) Shared with `npm run bench:log`, whose
 * integrator runs as the background task does.
 */
export function delayBeforeNextRound(intervalMs: number, roundMs: number, behind: boolean): number {
  return behind ? 0 : Math.max(0, intervalMs - roundMs);
}

/**
 * Runs a task in this process, a round every `intervalMs` (delayBeforeNextRound), never two rounds of it at
 * once; stopBackgroundTasks ends them all.
 */
export function scheduleBackgroundTask(task: BackgroundTask): void {
  const schedule = (delayMs: number) => {
    const timer = setTimeout(() => {
      state.timers.delete(timer);
      if (state.stopped) return;
      const started = performance.now();
      const run = runOnce(task).then((behind) => {
        state.running.delete(task.name);
        if (!state.stopped) schedule(delayBeforeNextRound(task.intervalMs, performance.now() - started, behind));
      });
      state.running.set(task.name, run);
    }, delayMs);
    timer.unref();
    state.timers.add(timer);
  };
  schedule(task.intervalMs);
}

/** Starts no more rounds and waits, at most `timeoutMs`, for those running; true when they all finished. */
export async function stopBackgroundTasks(timeoutMs: number): Promise<boolean> {
  state.stopped = true;
  for (const timer of state.timers) clearTimeout(timer);
  state.timers.clear();
  let timeout: NodeJS.Timeout | undefined;
  const finished = await Promise.race([
    Promise.all(state.running.values()).then(() => true),
    new Promise<boolean>((resolve) => {
      timeout = setTimeout(() => resolve(false), timeoutMs);
    }),
  ]);
  clearTimeout(timeout);
  return finished;
}
