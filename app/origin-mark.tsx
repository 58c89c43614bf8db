import type { ForkOriginSummary } from "@/lib/portability/list-fork-origins";

/**
 * Says, beside a record, that it came with the fork from another Guildhall (lib/portability/list-fork-origins.ts:
 * originOfRecord): words, not a colour alone, linked to the /log's account of that fork (its checkpoint and
 * root). Renders nothing for a record made here, so a Guildhall never forked shows no mark at all. No hooks, so
 * server and client components both use it.
 */
export function OriginMark({ origin }: { origin: Pick<ForkOriginSummary, "host" | "importedAt"> | null }) {
  if (!origin) return null;
  return (
    <a
      href="/log#fork-origins"
      className="ml-1 inline-block whitespace-nowrap rounded border border-amber-300 bg-amber-50 px-1.5 text-xs font-normal text-amber-900 no-underline hover:underline"
      title={`Made at ${origin.host} before this Guildhall was forked from it; imported on ${new Date(origin.importedAt).toISOString().slice(0, 10)}`}
      data-testid="from-origin"
    >
      from {origin.host}
    </a>
  );
}

/**
 * A list page's opening line on a fork: which Guildhall it was forked from, and what the marks beside records
 * mean. Nothing on a Guildhall never forked.
 */
export function ForkNotice({ forks }: { forks: readonly Pick<ForkOriginSummary, "issuer" | "host" | "importedAt">[] }) {
  if (forks.length === 0) return null;
  const latest = forks[forks.length - 1];
  return (
    <p className="rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900" data-testid="fork-notice">
      This Guildhall is a fork of <strong>{latest.issuer}</strong>, imported on{" "}
      {latest.importedAt.toISOString().slice(0, 10)}
      {forks.length > 1
        ? ` (itself a fork of ${forks
            .slice(0, -1)
            .map((f) => f.issuer)
            .join(", then of ")})`
        : ""}
      . Records marked <q>from {latest.host}</q>
      {forks.length > 1 ? " (or from an earlier origin)" : ""} were made there before the fork and came with it, checked
      against its signed log (<a href="/log#fork-origins">what the fork holds of its origin</a>); the others were made
      here.
    </p>
  );
}
