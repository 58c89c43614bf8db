import { orRefusalPage } from "@/app/or-refusal-page";
import { requirePageAccess } from "@/lib/auth/require-page-access";
import { formatMoney } from "@/lib/money/format-money";
import { getFundingPaymentRefunds } from "@/lib/payments/get-funding-payment-refunds";
import { channelLabel, isStoreChannel } from "@/lib/payment-provider/payment-channels";
import { RefundForm } from "@/app/finance/payment-refunds";
import { RefundablePayment } from "@/app/finance/refundable-payment";
import { listForkOrigins, originOfRecord } from "@/lib/portability/list-fork-origins";
import { ForkNotice, OriginMark } from "@/app/origin-mark";

export const metadata = { title: "Funding payment" };

/**
 * One funder's payment, for finance: what it funds, what was paid, refunded and disputed, and its refunds;
 * finance refunds it here as it refunds an order (the same form, approval bar and second approver), and the
 * hosts' shares go back in proportion.
 */
export default async function FundingPaymentPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<{ refund?: string }>;
}) {
  const { id } = await params;
  const { refund: decidedId } = await searchParams;
  const { session } = await requirePageAccess({ role: "FINANCE" }, `/finance/fundings/payments/${id}`);
  const [view, forks] = await Promise.all([orRefusalPage(getFundingPaymentRefunds(id)), listForkOrigins()]);
  const { payment, lines } = view;
  const money = (minor: bigint) => formatMoney(minor, payment.currency);
  const store = isStoreChannel(payment.provider);
  const target =
    view.target.kind === "release_line" ? `the ${view.target.name} release line` : `the host ${view.target.name}`;
  return (
    <RefundablePayment
      back={{ href: "/finance/fundings", label: "Funding payments" }}
      title="Funding payment"
      id={payment.id}
      testIdPrefix="funding-payment"
      currency={payment.currency}
      facts={[
        {
          term: "Funds",
          detail: `${target}${view.funding.interval === "month" ? ", monthly" : ", once"} (${view.funding.status})`,
          wide: true,
        },
        { term: "Paid", detail: money(payment.amountMinor), mono: true },
        {
          term: "Paid on (UTC)",
          detail: (
            <>
              {payment.paidAt.toISOString().slice(0, 16).replace("T", " ")}
              <OriginMark origin={originOfRecord(forks, payment.createdAt)} />
            </>
          ),
        },
        { term: "Provider", detail: channelLabel(payment.provider) },
        { term: store ? "Store commission" : "Provider fee", detail: money(payment.feeMinor), mono: true },
      ]}
      amounts={{ ...payment, heldMinor: view.heldMinor, refundableNowMinor: view.refundableNowMinor }}
      lines={lines}
      forks={forks}
      decidedId={decidedId}
      userId={session.userId}
      empty="No refunds of this payment."
    >
      <ForkNotice forks={forks} />
      {store && (
        <p className="card text-sm text-stone-600" data-testid="refund-through-store">
          Paid in {channelLabel(payment.provider)}: a refund is made through the store, and its notification records it
          here.
        </p>
      )}
      {view.refundableNowMinor > 0n && !store && (
        <RefundForm
          target={{ field: "fundingPaymentId", id: payment.id }}
          currency={payment.currency}
          refundableNowMinor={view.refundableNowMinor}
          approvalThresholdMinor={view.approvalThresholdMinor}
          payer="funder"
        />
      )}
    </RefundablePayment>
  );
}
