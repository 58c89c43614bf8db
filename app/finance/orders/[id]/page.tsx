import { orRefusalPage } from "@/app/or-refusal-page";
import { requirePageAccess } from "@/lib/auth/require-page-access";
import { formatMoney } from "@/lib/money/format-money";
import { getOrderRefunds } from "@/lib/payments/get-order-refunds";
import { channelLabel, isStoreChannel } from "@/lib/payment-provider/payment-channels";
import { RefundForm } from "@/app/finance/payment-refunds";
import { RefundablePayment } from "@/app/finance/refundable-payment";
import { listForkOrigins, originOfRecord } from "@/lib/portability/list-fork-origins";
import { ForkNotice, OriginMark } from "@/app/origin-mark";

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
  const [view, forks] = await Promise.all([orRefusalPage(getOrderRefunds(id)), listForkOrigins()]);
  const { order, lines } = view;
  const money = (minor: bigint) => formatMoney(minor, order.currency);
  const store = isStoreChannel(order.provider);
  return (
    <RefundablePayment
      back={{ href: "/finance/orders", label: "Orders" }}
      title="Order"
      id={order.id}
      testIdPrefix="order"
      currency={order.currency}
      facts={[
        { term: "Description", detail: order.description, wide: true },
        { term: "Status", detail: order.status, testId: "order-status" },
        { term: "Paid", detail: money(order.amountMinor), mono: true },
        { term: "Channel", detail: channelLabel(order.provider), testId: "order-channel" },
        { term: store ? "Store commission" : "Provider fee", detail: money(order.feeMinor), mono: true },
        {
          term: "Made (UTC)",
          detail: (
            <>
              {order.createdAt.toISOString().slice(0, 16).replace("T", " ")}
              <OriginMark origin={originOfRecord(forks, order.createdAt)} />
            </>
          ),
        },
      ]}
      amounts={{ ...order, heldMinor: view.heldMinor, refundableNowMinor: view.refundableNowMinor }}
      lines={lines}
      forks={forks}
      decidedId={decidedId}
      userId={session.userId}
      empty="No refunds on this order."
    >
      <ForkNotice forks={forks} />
      {store && order.status === "paid" && (
        <p className="card text-sm text-stone-600" data-testid="refund-through-store">
          Paid in {channelLabel(order.provider)}: a refund is made through the store, and its notification records it
          here.
        </p>
      )}
      {view.refundableNowMinor > 0n && !store && (
        <RefundForm
          target={{ field: "orderId", id: order.id }}
          currency={order.currency}
          refundableNowMinor={view.refundableNowMinor}
          approvalThresholdMinor={view.approvalThresholdMinor}
          payer="buyer"
        />
      )}
    </RefundablePayment>
  );
}
