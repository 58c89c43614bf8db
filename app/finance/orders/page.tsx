import Link from "next/link";
import { requirePageAccess } from "@/lib/auth/require-page-access";
import { listRecentOrders } from "@/lib/payments/list-recent-orders";
import { formatMoney } from "@/lib/money/format-money";
import { refundableMinor } from "@/lib/money/refundable-amount";

export const metadata = { title: "Orders" };

export default async function OrdersPage() {
  await requirePageAccess({ role: "FINANCE" }, "/finance/orders");
  const orders = await listRecentOrders();
  return (
    <div className="space-y-6">
      <Link href="/finance" className="text-sm text-accent">
        ← Finance
      </Link>
      <h1 className="text-2xl font-semibold">Orders</h1>
      <table className="table" data-testid="orders">
        <thead>
          <tr>
            <th>Order</th>
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
              <td>{o.productKind}</td>
              <td>{o.status}</td>
              <td className="text-right font-mono">{formatMoney(o.amountMinor, o.currency)}</td>
              <td className="text-right font-mono">{formatMoney(o.feeMinor, o.currency)}</td>
              <td className="text-right font-mono">
                {formatMoney(o.refundedMinor, o.currency)} / {formatMoney(o.disputedMinor, o.currency)}
              </td>
              <td>
                {o.status === "paid" && refundableMinor(o) > 0n && (
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
