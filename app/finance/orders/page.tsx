import Link from "next/link";
import { listForkOrigins, originOfRecord } from "@/lib/portability/list-fork-origins";
import { ForkNotice, OriginMark } from "@/app/origin-mark";
import { FilterSelect } from "@/app/filter-select";
import { listTheaters } from "@/lib/orgs/list-theaters";
import {
  activeFilters,
  DateRangeFields,
  FilterButtons,
  IgnoredFilters,
  PageLinks,
  readListFilter,
} from "@/app/list-filter";
import { requirePageAccess } from "@/lib/auth/require-page-access";
import { channelTotals, listRecentOrders, orderFilterSchema } from "@/lib/payments/list-recent-orders";
import {
  channelLabel,
  isPaymentChannel,
  isStoreChannel,
  paymentChannels,
} from "@/lib/payment-provider/payment-channels";
import { formatMoney } from "@/lib/money/format-money";
import { refundableMinor } from "@/lib/money/refundable-amount";

export const metadata = { title: "Orders" };

const productWords: Record<string, string> = { LICENSE_SALE: "License", TICKET_SALE: "Tickets" };
const statusWords: Record<string, string> = { open: "Checkout open", paid: "Paid", expired: "Expired" };
const day = (d: Date | null) => (d ? d.toISOString().slice(0, 16).replace("T", " ") : "—");

/** The filters' names in words, for saying which one was not understood. */
const filterWords: Record<string, string> = {
  status: "State",
  channel: "Channel",
  product: "Product",
  theaterOrgId: "Theater",
  from: "Made from (a date as YYYY-MM-DD)",
  to: "Made until (a date as YYYY-MM-DD)",
  q: "Order id or description (at most 100 characters)",
  before: "the page to start after",
};

/** Every order, newest first, with dates; filtered by state, product, theater, dates or words; 50 a page. */
export default async function OrdersPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  await requirePageAccess({ role: "FINANCE" }, "/finance/orders");
  const { filter, ignored } = readListFilter(orderFilterSchema, await searchParams);
  const channel = isPaymentChannel(filter.channel) ? filter.channel : undefined;
  const [{ orders, nextBefore }, theaters, totals, forks] = await Promise.all([
    listRecentOrders(filter as Parameters<typeof listRecentOrders>[0]),
    listTheaters(),
    channel ? channelTotals(channel) : [],
    listForkOrigins(),
  ]);
  const { active, filtered } = activeFilters(filter);
  return (
    <div className="space-y-6">
      <Link href="/finance" className="text-sm">
        ← Finance
      </Link>
      <h1 className="text-2xl font-semibold">Orders{channel ? ` paid through ${channelLabel(channel)}` : ""}</h1>
      <ForkNotice forks={forks} />
      <form method="get" className="card grid gap-3 sm:grid-cols-3" data-testid="order-filter">
        <div>
          <label className="label" htmlFor="o-q">
            Order id or description
          </label>
          <input className="input" id="o-q" name="q" defaultValue={filter.q} />
        </div>
        <FilterSelect
          id="o-status"
          name="status"
          label="State"
          value={filter.status}
          choices={Object.entries(statusWords)}
        />
        <FilterSelect
          id="o-channel"
          name="channel"
          label="Channel"
          value={filter.channel}
          choices={paymentChannels.map((c) => [c, channelLabel(c)] as const)}
        />
        <FilterSelect
          id="o-product"
          name="product"
          label="Product"
          value={filter.product}
          choices={Object.entries(productWords)}
        />
        <FilterSelect
          id="o-theater"
          name="theaterOrgId"
          label="Theater"
          value={filter.theaterOrgId}
          choices={theaters.map((t) => [t.id, t.name] as const)}
        />
        <DateRangeFields
          idPrefix="o"
          fromLabel="Made from (UTC)"
          toLabel="Made until (UTC)"
          from={filter.from}
          to={filter.to}
        />
        <FilterButtons listPath="/finance/orders" filtered={filtered} span="sm:col-span-3" />
      </form>
      <IgnoredFilters ignored={ignored} words={filterWords} />
      {channel && (
        <table className="table" data-testid="channel-totals">
          <thead>
            <tr>
              <th>Currency</th>
              <th className="text-right">Paid orders</th>
              <th className="text-right">Paid</th>
              <th className="text-right">{isStoreChannel(channel) ? "Store commission" : "Fees"}</th>
              <th className="text-right">Refunded</th>
            </tr>
          </thead>
          <tbody>
            {totals.length === 0 && (
              <tr>
                <td colSpan={5} className="text-stone-600">
                  No paid orders through {channelLabel(channel)}.
                </td>
              </tr>
            )}
            {totals.map((t) => (
              <tr key={t.currency}>
                <td>{t.currency}</td>
                <td className="text-right font-mono">{t.orders}</td>
                <td className="text-right font-mono">{formatMoney(t.paidMinor, t.currency)}</td>
                <td className="text-right font-mono">{formatMoney(t.feeMinor, t.currency)}</td>
                <td className="text-right font-mono">{formatMoney(t.refundedMinor, t.currency)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {channel && isStoreChannel(channel) && (
        <p className="text-sm text-stone-600">
          The commission is what the store kept when the order was paid; on a refund the store gives its share back,
          which the ledger records.
        </p>
      )}
      {orders.length === 0 ? (
        <p className="card text-sm text-stone-600" data-testid="no-orders">
          {filtered ? "No order matches these filters." : "No orders yet."}
        </p>
      ) : (
        <table className="table" data-testid="orders">
          <thead>
            <tr>
              <th>Order</th>
              <th>Theater</th>
              <th>Channel</th>
              <th>Product</th>
              <th>State</th>
              <th>Made (UTC)</th>
              <th>Paid (UTC)</th>
              <th className="text-right">Amount</th>
              <th className="text-right">Fee</th>
              <th className="text-right">Refunded / disputed</th>
              <th>Refund</th>
            </tr>
          </thead>
          <tbody>
            {orders.map((o) => (
              <tr key={o.id}>
                <td>
                  <Link href={`/finance/orders/${o.id}`}>{o.description}</Link>
                  <div className="font-mono text-xs text-stone-600">
                    {o.id}
                    <OriginMark origin={originOfRecord(forks, o.createdAt)} />
                  </div>
                </td>
                <td>{o.theaterName ?? "—"}</td>
                <td>{channelLabel(o.provider)}</td>
                <td>{productWords[o.productKind] ?? o.productKind}</td>
                <td>{statusWords[o.status] ?? o.status}</td>
                <td className="whitespace-nowrap text-xs">{day(o.createdAt)}</td>
                <td className="whitespace-nowrap text-xs">{day(o.paidAt)}</td>
                <td className="text-right font-mono">{formatMoney(o.amountMinor, o.currency)}</td>
                <td className="text-right font-mono">{formatMoney(o.feeMinor, o.currency)}</td>
                <td className="text-right font-mono">
                  {formatMoney(o.refundedMinor, o.currency)} / {formatMoney(o.disputedMinor, o.currency)}
                </td>
                <td>
                  {o.status === "paid" && isStoreChannel(o.provider) && (
                    <span className="text-sm text-stone-600">in the store</span>
                  )}
                  {o.status === "paid" && !isStoreChannel(o.provider) && refundableMinor(o) > 0n && (
                    <Link href={`/finance/orders/${o.id}`} className="btn-secondary" data-testid="refund-link">
                      Refund…
                    </Link>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <PageLinks
        listPath="/finance/orders"
        active={active}
        paged={Boolean(filter.before)}
        nextBefore={nextBefore}
        olderTestId="older-orders"
      />
    </div>
  );
}
