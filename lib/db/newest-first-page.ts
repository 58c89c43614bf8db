import "server-only";
/**
 * The pieces of a "newest first" list that pages by keyset and filters by UTC
 * days, shared by the finance lists (orders, payout batches), so they page and
 * filter alike. Rows are ordered by createdAt, then id, both descending.
 */

/** Rows made on the days from `from` to `to` (YYYY-MM-DD, UTC, both inclusive; either may be absent). */
export function createdOnDays(from?: string, to?: string): { createdAt?: { gte?: Date; lt?: Date } } {
  if (!from && !to) return {};
  return {
    createdAt: {
      ...(from ? { gte: new Date(`${from}T00:00:00Z`) } : {}),
      ...(to ? { lt: new Date(Date.parse(`${to}T00:00:00Z`) + 86_400_000) } : {}),
    },
  };
}

type Cursor = { id: string; createdAt: Date } | null;

/** Rows after `cursor` (the last row of the previous page) in newest-first order; everything without one. */
export function olderThan(cursor: Cursor): {
  AND?: { OR: ({ createdAt: { lt: Date } } | { createdAt: Date; id: { lt: string } })[] }[];
} {
  if (!cursor) return {};
  return {
    AND: [{ OR: [{ createdAt: { lt: cursor.createdAt } }, { createdAt: cursor.createdAt, id: { lt: cursor.id } }] }],
  };
}

/** The page to show of `limit + 1` rows fetched, and the id the next page starts after (null on the last). */
export function pageOf<T extends { id: string }>(rows: T[], limit: number): { rows: T[]; nextBefore: string | null } {
  const shown = rows.slice(0, limit);
  return { rows: shown, nextBefore: rows.length > limit ? shown[shown.length - 1].id : null };
}
