import "server-only";

/** How exports write instants: ISO 8601 in UTC with milliseconds. */
export const iso = (d: Date) => d.toISOString();
export const isoOrNull = (d: Date | null) => d?.toISOString() ?? null;
