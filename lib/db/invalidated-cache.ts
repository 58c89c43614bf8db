import "server-only";
import { invalidationFeed } from "@/lib/db/invalidation-feed";

export type InvalidatedCache<V> = {
  /** The cached value for `key`, or what `load` reads (cached unless undefined). */
  get(key: string, load: () => Promise<V | undefined>): Promise<V | undefined>;
};

/**
 * A small in-process cache of database state that the invalidation feed
 * keeps honest: while the feed is live, a change committed anywhere drops it
 * within the notification's delivery (a process's own changes drop it at
 * once); while the feed is dark it holds nothing and every get reads. `ttlMs`
 * bounds an entry's age even so. When full, the oldest entry makes room.
 * Values are shared between callers: treat them as read-only.
 */
export function invalidatedCache<V>(opts: { ttlMs: number; maxEntries: number }): InvalidatedCache<V> {
  const entries = new Map<string, { value: V; expiresAt: number }>();
  invalidationFeed.caches.add(entries);
  return {
    async get(key, load) {
      if (!invalidationFeed.live) return load();
      const hit = entries.get(key);
      if (hit && hit.expiresAt > Date.now()) return hit.value;
      const generation = invalidationFeed.generation;
      const value = await load();
      // A notification that arrived during the read may concern what it returned: keep it only if none did.
      if (value !== undefined && invalidationFeed.live && generation === invalidationFeed.generation) {
        const oldest = entries.keys().next();
        if (entries.size >= opts.maxEntries && !oldest.done) entries.delete(oldest.value);
        entries.set(key, { value, expiresAt: Date.now() + opts.ttlMs });
      }
      return value;
    },
  };
}
