import { describe, expect, it } from "vitest";
import { staleWhileRevalidate } from "@/lib/stale-while-revalidate";

/** A read the test finishes by hand, and a clock it moves by hand. */
function harness() {
  let clock = 1_000;
  const reads: { resolve: (v: number) => void; reject: (e: Error) => void }[] = [];
  const failures: unknown[] = [];
  const copy = staleWhileRevalidate(
    () =>
      new Promise<number>((resolve, reject) => {
        reads.push({ resolve, reject });
      }),
    { freshMs: 250, maxStaleMs: 2_000, onRefreshFailed: (e) => failures.push(e), now: () => clock },
  );
  return {
    copy,
    reads,
    failures,
    advance: (ms: number) => {
      clock += ms;
    },
  };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe("staleWhileRevalidate", () => {
  it("makes the first readers wait for one read, then serves the copy at once while it is fresh", async () => {
    const { copy, reads, advance } = harness();
    const first = [copy.get(), copy.get(), copy.get()];
    expect(reads).toHaveLength(1);
    reads[0].resolve(1);
    expect(await Promise.all(first)).toEqual([1, 1, 1]);
    advance(249);
    expect(copy.get()).toBe(1);
    expect(reads).toHaveLength(1);
  });

  it("serves the stale copy, not a promise, while ONE read refreshes it", async () => {
    const { copy, reads, advance } = harness();
    const first = copy.get();
    reads[0].resolve(1);
    await first;
    advance(300);
    // However many readers come while the refresh runs: the old copy, at once, and one read.
    for (let i = 0; i < 100; i++) expect(copy.get()).toBe(1);
    expect(reads).toHaveLength(2);
    reads[1].resolve(2);
    await settle();
    expect(copy.get()).toBe(2);
    expect(reads).toHaveLength(2);
  });

  it("never serves a copy whose read began maxStaleMs ago: readers wait for the one read under way", async () => {
    const { copy, reads, advance } = harness();
    const first = copy.get();
    reads[0].resolve(1);
    await first;
    advance(300);
    expect(copy.get()).toBe(1); // starts the refresh, which is slow
    advance(1_700);
    const waiting = [copy.get(), copy.get()];
    expect(waiting.every((w) => w instanceof Promise)).toBe(true);
    expect(reads).toHaveLength(2);
    reads[1].resolve(2);
    expect(await Promise.all(waiting)).toEqual([2, 2]);
  });

  it("keeps serving the copy when a background read fails, reports it, and tries again with the next reader", async () => {
    const { copy, reads, failures, advance } = harness();
    const first = copy.get();
    reads[0].resolve(1);
    await first;
    advance(300);
    expect(copy.get()).toBe(1);
    reads[1].reject(new Error("database down"));
    await settle();
    expect(failures).toHaveLength(1);
    expect(copy.get()).toBe(1);
    expect(reads).toHaveLength(3);
    // Past the bound, the failure reaches the readers instead of an ever older copy.
    advance(2_000);
    const late = copy.get();
    reads[2].reject(new Error("still down"));
    await expect(late).rejects.toThrow("still down");
  });

  it("after forget(), readers wait for a read that started after it; the answer of an older read is not kept", async () => {
    const { copy, reads, advance } = harness();
    const first = copy.get();
    reads[0].resolve(1);
    await first;
    advance(300);
    expect(copy.get()).toBe(1); // a refresh starts, then this process writes
    copy.forget();
    const after = copy.get();
    expect(after).toBeInstanceOf(Promise);
    expect(reads).toHaveLength(3);
    reads[1].resolve(2); // the read from before the write
    reads[2].resolve(3);
    expect(await after).toBe(3);
    await settle();
    expect(copy.get()).toBe(3);
  });
});
