import Link from "next/link";
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

/**
 * The filters a list is showing: every field given a value but the paging cursor `before` (which only says where
 * the page starts). Paging links keep them; `filtered` says whether any is on.
 */
export function activeFilters(filter: Record<string, unknown>): { active: Record<string, string>; filtered: boolean } {
  const active: Record<string, string> = {};
  for (const [key, value] of Object.entries(filter))
    if (key !== "before" && typeof value === "string" && value !== "") active[key] = value;
  return { active, filtered: Object.keys(active).length > 0 };
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

/** A list filter's day range: two date inputs named `from` and `to`, with the page's own labels. */
export function DateRangeFields(props: {
  idPrefix: string;
  fromLabel: string;
  toLabel: string;
  from?: string;
  to?: string;
}) {
  const { idPrefix, fromLabel, toLabel, from, to } = props;
  return (
    <>
      <div>
        <label className="label" htmlFor={`${idPrefix}-from`}>
          {fromLabel}
        </label>
        <input className="input" id={`${idPrefix}-from`} name="from" type="date" defaultValue={from} />
      </div>
      <div>
        <label className="label" htmlFor={`${idPrefix}-to`}>
          {toLabel}
        </label>
        <input className="input" id={`${idPrefix}-to`} name="to" type="date" defaultValue={to} />
      </div>
    </>
  );
}

/**
 * The filter form's submit button and, once a filter is on, a link back to the unfiltered list. `span` is the
 * grid columns the row takes in its form, written out at the call site so Tailwind sees the class.
 */
export function FilterButtons({ listPath, filtered, span }: { listPath: string; filtered: boolean; span: string }) {
  return (
    <div className={`flex flex-wrap gap-2 ${span}`}>
      <button className="btn-secondary" type="submit">
        Filter
      </button>
      {filtered && (
        <Link className="btn-secondary" href={listPath}>
          Clear
        </Link>
      )}
    </div>
  );
}

/**
 * Paging by a `before` cursor, the active filters kept: back to the newest page once paged, on to older items
 * while there are more.
 */
export function PageLinks(props: {
  listPath: string;
  active: Record<string, string>;
  paged: boolean;
  nextBefore?: string | null;
  olderTestId: string;
  className?: string;
}) {
  const { listPath, active, paged, nextBefore, olderTestId, className = "flex flex-wrap gap-2" } = props;
  return (
    <div className={className}>
      {paged && (
        <Link className="btn-secondary" href={`${listPath}?${new URLSearchParams(active)}`}>
          Newest
        </Link>
      )}
      {nextBefore && (
        <Link
          className="btn-secondary"
          data-testid={olderTestId}
          href={`${listPath}?${new URLSearchParams({ ...active, before: nextBefore })}`}
        >
          Older
        </Link>
      )}
    </div>
  );
}
