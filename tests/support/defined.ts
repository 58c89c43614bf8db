/**
 * The value a test expects to exist, or a failure that says it was missing
 * (instead of a `!` that lets `undefined` travel on into a request or a
 * comparison and fail somewhere less clear).
 */
export function defined<T>(value: T | null | undefined, what = "value"): T {
  if (value === null || value === undefined) throw new Error(`expected a ${what}, got ${value}`);
  return value;
}
