import type { z } from "zod";

type SearchParams = Record<string, string | string[] | undefined>;

/**
 * A list page's filter, read from its search parameters field by field with
 * the list's own zod schema: a malformed field is left out of the filter and
 * named in `ignored` (with what was wrong), so the page says which filter it
 * did not apply instead of failing or silently showing something else.
 */
export function readListFilter<S extends z.ZodObject>(
  schema: S,
  params: SearchParams,
): { filter: Partial<Record<keyof S["shape"] & string, string>>; ignored: string[] } {
  const filter: Record<string, string> = {};
  const ignored: string[] = [];
  for (const [key, field] of Object.entries(schema.shape) as [string, z.ZodType][]) {
    const raw = params[key];
    if (raw === undefined) continue;
    if (typeof raw !== "string") {
      ignored.push(key); // given twice: which one was meant is not ours to guess
      continue;
    }
    const value = raw.trim();
    if (!value) continue;
    const one = field.safeParse(value);
    if (one.success && typeof one.data === "string") filter[key] = one.data;
    else ignored.push(key);
  }
  return { filter: filter as Partial<Record<keyof S["shape"] & string, string>>, ignored };
}

/** Says which filters were not applied (`ignored`, from readListFilter), each in the page's own words. */
export function IgnoredFilters({ ignored, words }: { ignored: string[]; words: Record<string, string> }) {
  if (ignored.length === 0) return null;
  return (
    <p role="alert" className="card text-sm text-red-800" data-testid="ignored-filters">
      Not understood, so not applied: {ignored.map((k) => words[k] ?? k).join("; ")}.
    </p>
  );
}
