import { afterEach, describe, expect, it, vi } from "vitest";
import { delayBeforeNextRound, scheduleBackgroundTask, stopBackgroundTasks } from "@/lib/ops/background-tasks";

describe("background tasks' rounds", () => {
  afterEach(() => vi.useRealTimers());

  it("start every interval, at once after a round that overran or left work waiting", () => {
    expect(delayBeforeNextRound(500, 120, false)).toBe(380);
    expect(delayBeforeNextRound(500, 700, false)).toBe(0);
    expect(delayBeforeNextRound(500, 120, true)).toBe(0);
  });

  it("run a task that is behind again at once, never two rounds at once, and stop", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "performance"] });
    const starts: number[] = [];
    let running = 0;
    let overlapped = false;
    // Each round takes 100 ms; the first three leave work waiting, the fourth and later do not.
    scheduleBackgroundTask({
      name: "test-behind",
      intervalMs: 500,
      exclusive: false,
      run: async () => {
        starts.push(performance.now());
        running += 1;
        overlapped ||= running > 1;
        await new Promise((resolve) => setTimeout(resolve, 100));
        running -= 1;
        return starts.length <= 3;
      },
      behind: (stillBehind) => stillBehind === true,
    });
    await vi.advanceTimersByTimeAsync(2_000);
    // The first round at 500 ms; after each of the three that were behind, the next at once (the round's 100 ms
    // and a timer's least delay, 1 ms); then one every 500 ms.
    expect(starts[0]).toBe(500);
    const gaps = starts.slice(1, 6).map((at, i) => at - starts[i]);
    expect(gaps).toEqual([101, 101, 101, 500, 500]);
    expect(overlapped).toBe(false);
    const stopped = stopBackgroundTasks(1_000);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(await stopped).toBe(true);
    const count = starts.length;
    await vi.advanceTimersByTimeAsync(2_000);
    expect(starts.length).toBe(count);
  });
});
