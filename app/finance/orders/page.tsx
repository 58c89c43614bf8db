import Link from "next/link";
import { requirePageAccess } from "@/lib/auth/require-page-access";
import { channelTotals, listRecentOrders } from "@/lib/payments/list-recent-orders";
import { channelLabel, isPaymentChannel, isStoreChannel, paymentChannels } from "@/lib/payments/payment-channels";
import { formatMoney } from "@/lib/money/format-money";
import { refundableMinor } from "@/lib/money/refundable-amount";

export const metadata = { title: "Orders" };

export default async function OrdersPage({ searchParams }: { searchParams: Promise<{ channel?: string }> }) {
  await requirePageAccess({ role: "FINANCE" }, "/finance/orders");
  const { channel: asked } = await searchParams;
  // An unknown channel in the address shows every order rather than an error page.
  const channel = isPaymentChannel(asked) ? asked : undefined;
  const orders = await listRecentOrders({ provider: channel });
  const totals = channel ? await channelTotals(channel) : [];
  return (
    <div className="space-y-6">
      <Link href="/finance" className="text-sm text-accent">
        ← Finance
      </Link>
      <h1 className="text-2xl font-semibold">Orders{channel ? ` paid through ${channelLabel(channel)}` : ""}</h1>
      <nav className="flex flex-wrap gap-3 text-sm" aria-label="Channel" data-testid="order-channels">
        <Link href="/finance/orders" className={channel ? "text-accent" : "font-semibold"}>
          All
        </Link>
        {paymentChannels.map((c) => (
          <Link
            key={c}
            href={`/finance/orders?channel=${c}`}
            className={c === channel ? "font-semibold" : "text-accent"}
          >
            {channelLabel(c)}
          </Link>
        ))}
      </nav>
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
      {isStoreChannel(channel ?? "") && (
        <p className="text-sm text-stone-600">
          The commission is what the store kept when the order was paid; on a refund the store gives its share back,
          which the ledger records.
        </p>
      )}
      <table className="table" data-testid="orders">
        <thead>
          <tr>
            <th>Order</th>
            <th>Channel</th>
            <th>Product</th>
            <th>Status</th>
            <th className="text-right">Amount</th>
            <th className="text-right">Fee</th>
            <th className="text-right">Refunded / disputed</th>
            <th>Refund</th>
          </tr>
        </thead>
        <tbody>
          {orders.map((o) => (
            <tr key={o.id}>
              <td className="font-mono text-xs">
                <Link href={`/finance/orders/${o.id}`} className="text-accent">
                  {o.id}
                </Link>
                <div className="font-sans text-stone-600">{o.description}</div>
              </td>
              <td>{channelLabel(o.provider)}</td>
              <td>{o.productKind}</td>
              <td>{o.status}</td>
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
    </div>
  );
}
