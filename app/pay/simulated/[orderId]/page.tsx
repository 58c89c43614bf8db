import { notFound } from "next/navigation";
import { getSimulatedCheckout } from "@/lib/payments/get-simulated-checkout";
import { simulatedTestCards } from "@/lib/payments/complete-simulated-checkout";
import { formatMoney } from "@/lib/money/format-money";
import { TestCardField } from "@/app/test-card-field";

export const metadata = { title: "Test checkout (simulated)" };

export default async function SimulatedCheckoutPage({
  params,
  searchParams,
}: {
  params: Promise<{ orderId: string }>;
  searchParams: Promise<{ declined?: string; error?: string }>;
}) {
  const { orderId } = await params;
  const { declined, error } = await searchParams;
  const order = await getSimulatedCheckout(orderId);
  if (!order) notFound();
  return (
    <div className="mx-auto max-w-lg space-y-6">
      <div
        role="alert"
        className="rounded-md border-2 border-dashed border-amber-500 bg-amber-50 p-4 text-sm text-amber-900"
        data-testid="simulated-banner"
      >
        <strong>SIMULATED TEST CHECKOUT.</strong> No real money moves. This page stands in for Stripe because no
        STRIPE_SECRET_KEY is configured. Use a test card below.
      </div>
      <div className="card space-y-4">
        <h1 className="text-xl font-semibold">{order.description}</h1>
        <p className="text-sm text-stone-600" data-testid="payee-line">
          {order.productKind === "LICENSE_SALE"
            ? `${order.theaterName || "Your theater"} pays Guildhall for its license.`
            : `Paid to ${order.theaterName || "the theater"} through Guildhall.`}
        </p>
        <table className="table">
          <tbody>
            {order.lineItems.map((li, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: an order's line items never reorder; their position is their identity.
              <tr key={i}>
                <td>{li.name}</td>
                <td>× {li.quantity}</td>
                <td className="text-right">{formatMoney(li.quantity * li.unitAmountMinor, order.currency)}</td>
              </tr>
            ))}
            <tr>
              <th colSpan={2}>Total</th>
              <th className="text-right" data-testid="checkout-total">
                {formatMoney(order.amountMinor, order.currency)}
              </th>
            </tr>
          </tbody>
        </table>
        {order.status === "paid" ? (
          <p className="font-medium text-green-800">This order is paid.</p>
        ) : order.status !== "open" ? (
          <p className="font-medium text-red-800">This checkout is {order.status}.</p>
        ) : (
          <form method="post" action={`/api/pay/simulated/${order.id}`} className="space-y-3">
            {declined && (
              <p className="text-sm text-red-700" role="status">
                The card was declined. Try another test card.
              </p>
            )}
            {error && (
              <p className="text-sm text-red-700" role="status">
                {error}
              </p>
            )}
            <TestCardField cards={simulatedTestCards} />
            <div className="flex flex-wrap gap-3">
              <button className="btn" type="submit">
                Pay {formatMoney(order.amountMinor, order.currency)}
              </button>
              <a className="btn-secondary" href={order.cancelPath}>
                Cancel
              </a>
            </div>
          </form>
        )}
      </div>
    </div>
  );
}
