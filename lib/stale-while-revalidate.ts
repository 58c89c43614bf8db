/**
 * A copy of something read from elsewhere (the database), kept in this
 * process and refreshed in the background, so that readers never queue
 * behind its expiry:
 * - younger than `freshMs`, the copy is served;
 * - older, but younger than `maxStaleMs`, the copy is still served, at once,
 *   while ONE read refreshes it (single flight: however many readers arrive,
 *   one read runs);
 * - with no copy, one older than `maxStaleMs` (the reads are failing or very
 *   slow), or after `forget()`, readers wait for the read, all of them for the
 *   same one.
 * So a reader is served a copy that began to be read at most `maxStaleMs`
 * ago, and usually at most `freshMs` plus one read ago. A failed background
 * read is reported to `onRefreshFailed` and the next reader starts another.
 * `forget()` is for this process's own writes: the next reader waits for a
 * read that starts after it, and the answer of a read already under way is
 * not kept.
 *
 * `get` answers the copy itself, not a promise, when it has one to serve, so
 * a server in front of Next can answer without awaiting anything.
 */
export type StaleWhileRevalidate<T> = {
  get(): T | Promise<T>;
  forget(): void;
};

export function staleWhileRevalidate<T>(
  read: () => Promise<T>,
  opts: { freshMs: number; maxStaleMs: number; onRefreshFailed: (e: unknown) => void; now?: () => number },
): StaleWhileRevalidate<T> {
  const now = opts.now ?? Date.now;
  let copy: { value: T; readAt: number } | undefined;
  let refreshing: Promise<T> | undefined;

  const refresh = (): Promise<T> => {
    if (refreshing) return refreshing;
    const startedAt = now();
    const promise: Promise<T> = read().then(
      (value) => {
        // A forget() since it started makes this answer too old to keep.
        if (refreshing === promise) {
          copy = { value, readAt: startedAt };
          refreshing = undefined;
        }
        return value;
      },
      (e: unknown) => {
        if (refreshing === promise) refreshing = undefined;
        throw e;
      },
    );
    refreshing = promise;
    return promise;
  };

  return {
    get() {
      const held = copy;
      if (held) {
        const age = now() - held.readAt;
        if (age < opts.freshMs) return held.value;
        if (age < opts.maxStaleMs) {
          if (!refreshing) refresh().catch(opts.onRefreshFailed);
          return held.value;
        }
      }
      return refresh();
    },
    forget() {
      copy = undefined;
      refreshing = undefined;
    },
  };
}
