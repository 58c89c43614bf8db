import "server-only";

/** An archive record as row_to_json wrote it. */
export type Row = Record<string, unknown>;

/** A check that reads one file's records as they stream by; a problem names the record. */
export type RecordCheck = { record: (row: Row, n: number) => string | null; end?: () => string | null };

/** A timestamp as row_to_json writes it (UTC, no zone, trailing zeros cut) in ISO 8601 with milliseconds. */
export const instant = (value: unknown) => new Date(`${String(value)}Z`).toISOString();
export const bytes = (value: unknown) => Buffer.from(String(value).replace(/^\\x/, ""), "hex");
export const textOrNull = (value: unknown) => (value === null || value === undefined ? null : String(value));
