import { randomUUID } from "node:crypto";
import Link from "next/link";
import { notFound } from "next/navigation";
import { requirePageAccess } from "@/lib/auth/require-page-access";
import { isAppError } from "@/lib/errors/app-error";
import { formatMoney } from "@/lib/money/format-money";
import { currencyExponent } from "@/lib/money/currency";
import { getOrderRefunds } from "@/lib/payments/get-order-refunds";
import { channelLabel, isStoreChannel } from "@/lib/payment-provider/payment-channels";
import { ActionForm } from "@/app/action-form";
import { decideRefundAction, refundOrderAction } from "./actions";

export const metadata = { title: "Order" };

/** Words for a refund's state, the same everywhere on the page. */
function refundState(line: { status: string; providerStatus: string | null; reversed: boolean }): string {
  if (line.reversed) return "failed at the provider; reversed in the ledger";
  if (line.status === "awaiting_approval") return "awaiting a second approval";
  if (line.status === "reserved") return "being sent to the provider";
  if (line.status === "rejected") return "declined";
  if (line.status === "failed") return "refused by the provider";
  return line.providerStatus ?? "sent";
}

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
  const view = await getOrderRefunds(id).catch((e: unknown) => {
    if (isAppError(e) && e.code === "NOT_FOUND") notFound();
    throw e;
  });
  const { order, lines } = view;
  const money = (minor: bigint) => formatMoney(minor, order.currency);
  const step = (1 / 10 ** currencyExponent(order.currency)).toString();
  // After an approval or a decline: what became of that refund, read from the database, not from the form.
  const decided = lines.find((l) => l.requestId === decidedId);
  return (
    <div className="space-y-6">
      <Link href="/finance/orders" className="text-sm text-accent">
        ← Orders
      </Link>
      <h1 className="text-2xl font-semibold">
        Order <span className="font-mono text-lg">{order.id}</span>
      </h1>
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
        <section className="card space-y-3">
          <h2 className="font-semibold">Refund</h2>
          <p className="text-sm text-stone-600">
            The money goes back to the buyer&apos;s payment method and the payees&apos; shares are reduced in
            proportion. A refund cannot be undone. Above {money(view.approvalThresholdMinor)} a second finance user must
            approve it before anything is sent.
          </p>
          <ActionForm action={refundOrderAction} submitLabel="Refund" testId="refund-form">
            <input type="hidden" name="orderId" value={order.id} />
            {/* Made once per rendering: submitting this form twice is one refund. */}
            <input type="hidden" name="requestKey" value={randomUUID()} />
            <div>
              <label className="label" htmlFor="amount">
                Amount ({order.currency}), at most {money(view.refundableNowMinor)}
              </label>
              <input id="amount" name="amount" className="input w-40" inputMode="decimal" step={step} required />
            </div>
            <div>
              <label className="label" htmlFor="reason">
                Reason (kept with the refund and in the audit log)
              </label>
              <input id="reason" name="reason" className="input w-full" minLength={3} maxLength={500} required />
            </div>
            <label className="flex flex-wrap items-center gap-2 text-sm">
              <input type="checkbox" name="confirm" value="yes" required />I confirm this amount goes back to the buyer
              and cannot be undone.
            </label>
          </ActionForm>
        </section>
      )}

      <section className="card">
        <h2 className="mb-2 font-semibold">Refunds</h2>
        {lines.length === 0 ? (
          <p className="text-sm text-stone-600">No refunds on this order.</p>
        ) : (
          <table className="table" data-testid="refunds">
            <thead>
              <tr>
                <th>When</th>
                <th className="text-right">Amount</th>
                <th>State</th>
                <th>Reason</th>
                <th>Asked by / approved by</th>
                <th>Provider refund</th>
                <th>Decision</th>
              </tr>
            </thead>
            <tbody>
              {lines.map((line) => (
                <tr key={line.requestId ?? line.providerRefundId} data-testid="refund-line">
                  <td className="text-xs">{line.createdAt.toISOString().replace("T", " ").slice(0, 16)} UTC</td>
                  <td className="text-right font-mono">{money(line.amountMinor)}</td>
                  <td data-testid="refund-state">
                    {refundState(line)}
                    {line.failureMessage && <div className="text-xs text-stone-600">{line.failureMessage}</div>}
                  </td>
                  <td>{line.reason ?? "made outside Guildhall"}</td>
                  <td className="text-sm">
                    {line.requestedBy ?? "—"}
                    {line.approvedBy && ` / ${line.approvedBy}`}
                  </td>
                  <td className="font-mono text-xs">{line.providerRefundId ?? "—"}</td>
                  <td>
                    {line.status === "awaiting_approval" && line.requestId && (
                      <ApprovalForms requestId={line.requestId} mine={line.requestedById === session.userId} />
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}

function ApprovalForms({ requestId, mine }: { requestId: string; mine: boolean }) {
  if (mine) return <p className="text-sm text-stone-600">Another finance user must approve your refund.</p>;
  return (
    <div className="space-y-2">
      <ActionForm action={decideRefundAction} submitLabel="Approve and send" testId="approve-refund">
        <input type="hidden" name="refundRequestId" value={requestId} />
        <input type="hidden" name="decision" value="approve" />
      </ActionForm>
      <ActionForm action={decideRefundAction} submitLabel="Decline" variant="secondary" testId="decline-refund">
        <input type="hidden" name="refundRequestId" value={requestId} />
        <input type="hidden" name="decision" value="decline" />
        <input name="note" className="input w-48" placeholder="why (optional)" maxLength={500} />
      </ActionForm>
    </div>
  );
}
