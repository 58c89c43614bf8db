import { afterEach, describe, expect, it, vi } from "vitest";
import { invalidatedCache } from "@/lib/db/invalidated-cache";
import { invalidateLocalCaches, invalidationFeed } from "@/lib/db/invalidation-feed";

/** A loader that counts its reads and returns what `rows` holds now. */
function countingLoader(rows: Map<string, string>) {
  const loader = {
    reads: 0,
    load: (key: string) => async () => {
      loader.reads++;
      return rows.get(key);
    },
  };
  return loader;
}

describe("invalidatedCache", () => {
  afterEach(() => {
    invalidationFeed.live = false;
    vi.useRealTimers();
  });

  it("holds nothing while the feed is dark: every get reads", async () => {
    invalidationFeed.live = false;
    const cache = invalidatedCache<string>({ ttlMs: 60_000, maxEntries: 10 });
    const rows = new Map([["a", "live"]]);
    const db = countingLoader(rows);
    expect(await cache.get("a", db.load("a"))).toBe("live");
    rows.set("a", "revoked");
    expect(await cache.get("a", db.load("a"))).toBe("revoked");
    expect(db.reads).toBe(2);
  });

  it("serves from memory while live, and reads again after an invalidation", async () => {
    invalidationFeed.live = true;
    const cache = invalidatedCache<string>({ ttlMs: 60_000, maxEntries: 10 });
    const rows = new Map([["a", "live"]]);
    const db = countingLoader(rows);
    expect(await cache.get("a", db.load("a"))).toBe("live");
    rows.set("a", "revoked");
    expect(await cache.get("a", db.load("a"))).toBe("live");
    expect(db.reads).toBe(1);
    invalidateLocalCaches();
    expect(await cache.get("a", db.load("a"))).toBe("revoked");
    expect(db.reads).toBe(2);
  });

  it("does not keep a read that an invalidation overtook", async () => {
    invalidationFeed.live = true;
    const cache = invalidatedCache<string>({ ttlMs: 60_000, maxEntries: 10 });
    let release!: () => void;
    const slowRead = new Promise<void>((r) => (release = r));
    const pending = cache.get("a", async () => {
      await slowRead;
      return "read before the change";
    });
    invalidateLocalCaches(); // the change's notification arrives while the read is under way
    release();
    expect(await pending).toBe("read before the change");
    expect(await cache.get("a", async () => "read after the change")).toBe("read after the change");
  });

  it("drops everything when the feed goes dark, and does not cache a missing row", async () => {
    invalidationFeed.live = true;
    const cache = invalidatedCache<string>({ ttlMs: 60_000, maxEntries: 10 });
    await cache.get("a", async () => "first");
    invalidationFeed.live = false;
    invalidateLocalCaches();
    invalidationFeed.live = true;
    expect(await cache.get("a", async () => "second")).toBe("second");
    const db = countingLoader(new Map());
    expect(await cache.get("missing", db.load("missing"))).toBeUndefined();
    expect(await cache.get("missing", db.load("missing"))).toBeUndefined();
    expect(db.reads).toBe(2);
  });

  it("bounds an entry's age and the number of entries", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    invalidationFeed.live = true;
    const cache = invalidatedCache<string>({ ttlMs: 1_000, maxEntries: 2 });
    const rows = new Map([
      ["a", "a1"],
      ["b", "b1"],
      ["c", "c1"],
    ]);
    const db = countingLoader(rows);
    await cache.get("a", db.load("a"));
    rows.set("a", "a2");
    vi.advanceTimersByTime(1_001);
    expect(await cache.get("a", db.load("a"))).toBe("a2");
    await cache.get("b", db.load("b"));
    await cache.get("c", db.load("c")); // the cache is full: "a", the oldest, makes room
    rows.set("a", "a3");
    rows.set("c", "c2");
    expect(await cache.get("c", db.load("c"))).toBe("c1");
    expect(await cache.get("a", db.load("a"))).toBe("a3");
  });
});
