import { randomUUID } from "node:crypto";
import { formatMoney } from "@/lib/money/format-money";
import { currencyExponent } from "@/lib/money/currency";
import type { RefundLine } from "@/lib/payments/list-payment-refunds";
import { type ForkOriginSummary, originOfRecord } from "@/lib/portability/list-fork-origins";
import { ActionForm } from "@/app/action-form";
import { OriginMark } from "@/app/origin-mark";
import { decideRefundAction, refundPaymentAction } from "@/app/finance/refund-actions";

/** Words for a refund's state, the same everywhere. */
export function refundState(line: { status: string; providerStatus: string | null; reversed: boolean }): string {
  if (line.reversed) return "failed at the provider; reversed in the ledger";
  if (line.status === "awaiting_approval") return "awaiting a second approval";
  if (line.status === "reserved") return "being sent to the provider";
  if (line.status === "rejected") return "declined";
  if (line.status === "failed") return "refused by the provider";
  return line.providerStatus ?? "sent";
}

/**
 * Finance's refund form for a payment (an order, or a funder's payment): amount, reason and a confirmation;
 * above the approval bar a second finance user approves before anything is sent. `target` names the payment
 * in the form (its field and id), so one action refunds either.
 */
export function RefundForm(props: {
  target: { field: "orderId" | "fundingPaymentId"; id: string };
  currency: string;
  refundableNowMinor: bigint;
  approvalThresholdMinor: bigint;
  payer: string;
}) {
  const money = (minor: bigint) => formatMoney(minor, props.currency);
  const step = (1 / 10 ** currencyExponent(props.currency)).toString();
  return (
    <section className="card space-y-3">
      <h2 className="font-semibold">Refund</h2>
      <p className="text-sm text-stone-600">
        The money goes back to the {props.payer}&apos;s payment method and the payees&apos; shares are reduced in
        proportion. A refund cannot be undone. Above {money(props.approvalThresholdMinor)} a second finance user must
        approve it before anything is sent.
      </p>
      <ActionForm action={refundPaymentAction} submitLabel="Refund" testId="refund-form">
        <input type="hidden" name={props.target.field} value={props.target.id} />
        {/* Made once per rendering: submitting this form twice is one refund. */}
        <input type="hidden" name="requestKey" value={randomUUID()} />
        <div>
          <label className="label" htmlFor="amount">
            Amount ({props.currency}), at most {money(props.refundableNowMinor)}
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
          <input type="checkbox" name="confirm" value="yes" required />I confirm this amount goes back to the{" "}
          {props.payer} and cannot be undone.
        </label>
      </ActionForm>
    </section>
  );
}

/**
 * A payment's refunds, with the second approver's forms on those that wait for one; on a fork, each refund made
 * at the origin is marked so (`forks`: listForkOrigins).
 */
export function RefundsTable(props: {
  lines: RefundLine[];
  currency: string;
  userId: string;
  empty: string;
  forks: readonly ForkOriginSummary[];
}) {
  const money = (minor: bigint) => formatMoney(minor, props.currency);
  return (
    <section className="card">
      <h2 className="mb-2 font-semibold">Refunds</h2>
      {props.lines.length === 0 ? (
        <p className="text-sm text-stone-600">{props.empty}</p>
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
            {props.lines.map((line) => (
              <tr key={line.requestId ?? line.providerRefundId} data-testid="refund-line">
                <td className="text-xs">
                  {line.createdAt.toISOString().replace("T", " ").slice(0, 16)} UTC
                  <OriginMark origin={originOfRecord(props.forks, line.createdAt)} />
                </td>
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
                    <ApprovalForms requestId={line.requestId} mine={line.requestedById === props.userId} />
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
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
