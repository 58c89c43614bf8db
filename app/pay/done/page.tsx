import Link from "next/link";
import { getPaidOrderView } from "@/lib/payments/get-paid-order-view";
import { formatMoney } from "@/lib/money/format-money";
import { getCurrentSession } from "@/lib/auth/get-current-session";

export const metadata = { title: "Payment received" };

/** Where a ticket buyer lands after paying: what they bought, and the way back to the app that sold it. */
export default async function PaymentDonePage({ searchParams }: { searchParams: Promise<{ order?: string }> }) {
  const { order: orderId } = await searchParams;
  const [order, session] = await Promise.all([
    typeof orderId === "string" ? getPaidOrderView(orderId) : null,
    getCurrentSession(),
  ]);
  const paid = order?.status === "paid";
  return (
    <div className="card mx-auto max-w-lg space-y-4" data-testid="payment-done">
      <h1 className="text-xl font-semibold">{order && !paid ? "Payment being confirmed" : "Payment received"}</h1>
      {order ? (
        <>
          <p className="text-stone-700">
            {paid ? "Thank you: your order is paid." : "Thank you. The payment provider is confirming your payment."}
          </p>
          <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
            <dt className="text-stone-500">Order</dt>
            <dd>{order.description}</dd>
            {order.theaterName && (
              <>
                <dt className="text-stone-500">Theater</dt>
                <dd>{order.theaterName}</dd>
              </>
            )}
            <dt className="text-stone-500">Amount</dt>
            <dd className="font-mono">{formatMoney(order.amountMinor, order.currency)}</dd>
            <dt className="text-stone-500">Reference</dt>
            <dd>
              <code className="text-xs" data-testid="order-id">
                {order.id}
              </code>
            </dd>
          </dl>
          <p className="text-sm text-stone-600">Keep the reference: the theater finds your order by it.</p>
        </>
      ) : (
        <p className="text-stone-700">Thank you. Your payment went through.</p>
      )}
      <div className="flex flex-wrap gap-3">
        {order?.app && (
          <a className="btn" href={order.app.url} data-testid="back-to-app">
            Back to {order.app.name}
          </a>
        )}
        <Link className={order?.app ? "btn-secondary" : "btn"} href={session ? "/account" : "/"}>
          {session ? "Your account" : "Guildhall home"}
        </Link>
      </div>
    </div>
  );
}
