import Link from "next/link";
import { notFound } from "next/navigation";
import { requirePageAccess } from "@/lib/auth/require-page-access";
import { isAppError } from "@/lib/errors/app-error";
import { formatMoney } from "@/lib/money/format-money";
import { getOrderRefunds } from "@/lib/payments/get-order-refunds";
import { channelLabel, isStoreChannel } from "@/lib/payment-provider/payment-channels";
import { listForkOrigins, originOfRecord } from "@/lib/portability/list-fork-origins";
import { ForkNotice, OriginMark } from "@/app/origin-mark";
import { RefundForm, RefundsTable, refundState } from "@/app/finance/payment-refunds";

export const metadata = { title: "Order" };

export default async function OrderPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<{ refund?: string }>;
}) {
  const { id } = await params;
  const { refund: decidedId } = await searchParams;
  const { session } = await requirePageAccess({ role: "FINANCE" }, `/finance/orders/${id}`);
  const [view, forks] = await Promise.all([
    getOrderRefunds(id).catch((e: unknown) => {
      if (isAppError(e) && e.code === "NOT_FOUND") notFound();
      throw e;
    }),
    listForkOrigins(),
  ]);
  const { order, lines } = view;
  const money = (minor: bigint) => formatMoney(minor, order.currency);
  // After an approval or a decline: what became of that refund, read from the database, not from the form.
  const decided = lines.find((l) => l.requestId === decidedId);
  return (
    <div className="space-y-6">
      <Link href="/finance/orders" className="text-sm text-accent">
        ← Orders
      </Link>
      <h1 className="text-2xl font-semibold">
        Order <span className="font-mono text-lg">{order.id}</span>
        <OriginMark origin={originOfRecord(forks, order.createdAt)} />
      </h1>
      <ForkNotice forks={forks} />
      {decided && (
        <p role="status" className="card text-sm text-green-800" data-testid="refund-notice">
          Refund of {money(decided.amountMinor)}: {refundState(decided)}
          {decided.approvedBy && `, decided by ${decided.approvedBy}`}.
        </p>
      )}
      <dl className="card grid grid-cols-2 gap-2 text-sm sm:grid-cols-4" data-testid="order-summary">
        <dt className="text-stone-600">Description</dt>
        <dd className="col-span-1 sm:col-span-3">{order.description}</dd>
        <dt className="text-stone-600">Status</dt>
        <dd data-testid="order-status">{order.status}</dd>
        <dt className="text-stone-600">Paid</dt>
        <dd className="font-mono">{money(order.amountMinor)}</dd>
        <dt className="text-stone-600">Channel</dt>
        <dd data-testid="order-channel">{channelLabel(order.provider)}</dd>
        <dt className="text-stone-600">{isStoreChannel(order.provider) ? "Store commission" : "Provider fee"}</dt>
        <dd className="font-mono">{money(order.feeMinor)}</dd>
        <dt className="text-stone-600">Refunded</dt>
        <dd className="font-mono" data-testid="order-refunded">
          {money(order.refundedMinor)}
        </dd>
        <dt className="text-stone-600">Disputed</dt>
        <dd className="font-mono">{money(order.disputedMinor)}</dd>
        <dt className="text-stone-600">Held by pending refunds</dt>
        <dd className="font-mono">{money(view.heldMinor)}</dd>
        <dt className="text-stone-600">Can still be refunded</dt>
        <dd className="font-mono" data-testid="order-refundable">
          {money(view.refundableNowMinor)}
        </dd>
      </dl>

      {isStoreChannel(order.provider) && order.status === "paid" && (
        <p className="card text-sm text-stone-600" data-testid="refund-through-store">
          Paid in {channelLabel(order.provider)}: a refund is made through the store, and its notification records it
          here.
        </p>
      )}
      {view.refundableNowMinor > 0n && !isStoreChannel(order.provider) && (
        <RefundForm
          target={{ field: "orderId", id: order.id }}
          currency={order.currency}
          refundableNowMinor={view.refundableNowMinor}
          approvalThresholdMinor={view.approvalThresholdMinor}
          payer="buyer"
        />
      )}

      <RefundsTable lines={lines} currency={order.currency} userId={session.userId} empty="No refunds on this order." />
    </div>
  );
}
