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
};

type TaskState = { timers: NodeJS.Timeout[]; running: Map<string, Promise<void>>; stopped: boolean };

const state: TaskState = processSlot<TaskState>("backgroundTasks").getOrInit(() => ({
  timers: [],
  running: new Map(),
  stopped: false,
}));

async function runOnce(task: BackgroundTask): Promise<void> {
  try {
    const outcome = task.exclusive ? await runExclusively(task.name, task.run) : { ran: true, value: await task.run() };
    metrics().backgroundTaskRuns.inc({ task: task.name, outcome: outcome.ran ? "ran" : "skipped" });
  } catch (err) {
    metrics().backgroundTaskRuns.inc({ task: task.name, outcome: "failed" });
    log.warn({ task: task.name, err: err instanceof Error ? err.message : String(err) }, "background task failed");
  }
}

/**
 * Runs a task every `intervalMs` in this process. A round still running when
 * the next is due is not started twice; stopBackgroundTasks ends them all.
 */
export function scheduleBackgroundTask(task: BackgroundTask): void {
  const timer = setInterval(() => {
    if (state.stopped || state.running.has(task.name)) return;
    const run = runOnce(task).finally(() => state.running.delete(task.name));
    state.running.set(task.name, run);
  }, task.intervalMs);
  timer.unref();
  state.timers.push(timer);
}

/** Starts no more rounds and waits, at most `timeoutMs`, for those running; true when they all finished. */
export async function stopBackgroundTasks(timeoutMs: number): Promise<boolean> {
  state.stopped = true;
  for (const timer of state.timers) clearInterval(timer);
  state.timers = [];
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
