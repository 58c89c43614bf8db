import Link from "next/link";
import { notFound } from "next/navigation";
import { requirePageAccess } from "@/lib/auth/require-page-access";
import { isAppError } from "@/lib/errors/app-error";
import { formatMoney } from "@/lib/money/format-money";
import { getFundingPaymentRefunds } from "@/lib/payments/get-funding-payment-refunds";
import { channelLabel, isStoreChannel } from "@/lib/payment-provider/payment-channels";
import { RefundForm, RefundsTable, refundState } from "@/app/finance/payment-refunds";

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
  const view = await getFundingPaymentRefunds(id).catch((e: unknown) => {
    if (isAppError(e) && e.code === "NOT_FOUND") notFound();
    throw e;
  });
  const { payment, lines } = view;
  const money = (minor: bigint) => formatMoney(minor, payment.currency);
  const decided = lines.find((l) => l.requestId === decidedId);
  return (
    <div className="space-y-6">
      <Link href="/finance/fundings" className="text-sm text-accent">
        ← Funding payments
      </Link>
      <h1 className="text-2xl font-semibold">
        Funding payment <span className="font-mono text-lg">{payment.id}</span>
      </h1>
      {decided && (
        <p role="status" className="card text-sm text-green-800" data-testid="refund-notice">
          Refund of {money(decided.amountMinor)}: {refundState(decided)}
          {decided.approvedBy && `, decided by ${decided.approvedBy}`}.
        </p>
      )}
      <dl className="card grid grid-cols-2 gap-2 text-sm sm:grid-cols-4" data-testid="funding-payment-summary">
        <dt className="text-stone-600">Funds</dt>
        <dd className="col-span-1 sm:col-span-3">
          {view.target.kind === "release_line"
            ? `the ${view.target.name} release line`
            : `the host ${view.target.name}`}
          {view.funding.interval === "month" ? ", monthly" : ", once"} ({view.funding.status})
        </dd>
        <dt className="text-stone-600">Paid</dt>
        <dd className="font-mono">{money(payment.amountMinor)}</dd>
        <dt className="text-stone-600">Provider</dt>
        <dd>{channelLabel(payment.provider)}</dd>
        <dt className="text-stone-600">{isStoreChannel(payment.provider) ? "Store commission" : "Provider fee"}</dt>
        <dd className="font-mono">{money(payment.feeMinor)}</dd>
        <dt className="text-stone-600">Refunded</dt>
        <dd className="font-mono" data-testid="funding-payment-refunded">
          {money(payment.refundedMinor)}
        </dd>
        <dt className="text-stone-600">Disputed</dt>
        <dd className="font-mono">{money(payment.disputedMinor)}</dd>
        <dt className="text-stone-600">Held by pending refunds</dt>
        <dd className="font-mono">{money(view.heldMinor)}</dd>
        <dt className="text-stone-600">Can still be refunded</dt>
        <dd className="font-mono" data-testid="funding-payment-refundable">
          {money(view.refundableNowMinor)}
        </dd>
      </dl>
      {isStoreChannel(payment.provider) && (
        <p className="card text-sm text-stone-600" data-testid="refund-through-store">
          Paid in {channelLabel(payment.provider)}: a refund is made through the store, and its notification records it
          here.
        </p>
      )}
      {view.refundableNowMinor > 0n && !isStoreChannel(payment.provider) && (
        <RefundForm
          target={{ field: "fundingPaymentId", id: payment.id }}
          currency={payment.currency}
          refundableNowMinor={view.refundableNowMinor}
          approvalThresholdMinor={view.approvalThresholdMinor}
          payer="funder"
        />
      )}
      <RefundsTable
        lines={lines}
        currency={payment.currency}
        userId={session.userId}
        empty="No refunds of this payment."
      />
    </div>
  );
}
