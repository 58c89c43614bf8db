import Link from "next/link";
import { listForkOrigins } from "@/lib/portability/list-fork-origins";
import { ForkNotice } from "@/app/origin-mark";
import { FilterSelect } from "@/app/filter-select";
import {
  activeFilters,
  DateRangeFields,
  FilterButtons,
  IgnoredFilters,
  PageLinks,
  readListFilter,
} from "@/app/list-filter";
import { BatchTable } from "@/app/finance/batch-table";
import { batchStatusLabel } from "@/app/finance/batch-status";
import { requirePageAccess } from "@/lib/auth/require-page-access";
import {
  listPayoutBatchCurrencies,
  listPayoutBatches,
  payoutBatchFilterSchema,
  payoutBatchStatuses,
} from "@/lib/payouts/list-payout-batches";

export const metadata = { title: "Payout batches" };

/** The filters' names in words, for saying which one was not understood. */
const filterWords: Record<string, string> = {
  status: "State (not one of the listed states)",
  currency: "Currency (a three-letter code such as EUR)",
  from: "Proposed from (a date as YYYY-MM-DD)",
  to: "Proposed until (a date as YYYY-MM-DD)",
  before: "the page to start after",
};

/** Every payout batch, newest first, filtered by state, currency and the day it was proposed; 50 a page. */
export default async function PayoutBatchesPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  await requirePageAccess({ role: "FINANCE" }, "/finance/batches");
  const { filter, ignored } = readListFilter(payoutBatchFilterSchema, await searchParams);
  const [{ batches, nextBefore }, currencies, forks] = await Promise.all([
    listPayoutBatches(filter as Parameters<typeof listPayoutBatches>[0]),
    listPayoutBatchCurrencies(),
    listForkOrigins(),
  ]);
  const { active, filtered } = activeFilters(filter);
  const { before } = filter;
  const backwards = active.from && active.to && active.from > active.to;
  return (
    <div className="space-y-6">
      <Link href="/finance" className="text-sm">
        ← Finance
      </Link>
      <h1 className="text-2xl font-semibold">Payout batches</h1>
      <ForkNotice forks={forks} />
      <form method="get" className="card grid gap-3 sm:grid-cols-4" data-testid="batch-filter">
        <FilterSelect
          id="b-status"
          name="status"
          label="State"
          value={filter.status}
          choices={payoutBatchStatuses.map((s) => [s, batchStatusLabel(s)] as const)}
        />
        <FilterSelect
          id="b-currency"
          name="currency"
          label="Currency"
          value={filter.currency}
          choices={currencies.map((c) => [c, c] as const)}
        />
        <DateRangeFields
          idPrefix="b"
          fromLabel="Proposed from (UTC)"
          toLabel="Proposed until (UTC)"
          from={filter.from}
          to={filter.to}
        />
        <FilterButtons listPath="/finance/batches" filtered={filtered} span="sm:col-span-4" />
      </form>
      <IgnoredFilters ignored={ignored} words={filterWords} />
      {batches.length === 0 ? (
        <p className="card text-sm text-stone-600" data-testid="no-batches">
          {backwards
            ? "No batch can match: the first day is after the last."
            : before
              ? "No older batches."
              : filtered
                ? "No batch matches these filters."
                : "No payout batch has been proposed yet. Propose one on the finance page."}
        </p>
      ) : (
        <BatchTable batches={batches} forks={forks} />
      )}
      <PageLinks
        listPath="/finance/batches"
        active={active}
        paged={Boolean(before)}
        nextBefore={nextBefore}
        olderTestId="older-batches"
      />
    </div>
  );
}
