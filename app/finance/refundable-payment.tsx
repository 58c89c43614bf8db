import Link from "next/link";
import type { ReactNode } from "react";
import { formatMoney } from "@/lib/money/format-money";
import type { RefundLine } from "@/lib/payments/list-payment-refunds";
import type { ForkOriginSummary } from "@/lib/portability/list-fork-origins";
import { RefundsTable, refundState } from "@/app/finance/payment-refunds";

/** One fact of a payment's summary: a term and what it says, across the row when `wide`. */
export type PaymentFact = { term: string; detail: ReactNode; testId?: string; wide?: boolean; mono?: boolean };

/**
 * The page of one refundable payment (an order, a funder's payment) for finance: the way back, its title, what
 * became of the refund just decided, its summary (the payment's own facts, then the amounts every refundable payment
 * has), `children` (the refund form, or why there is none) and its refunds. Test ids start with `testIdPrefix`.
 */
export function RefundablePayment(props: {
  back: { href: string; label: string };
  title: string;
  id: string;
  testIdPrefix: string;
  currency: string;
  facts: PaymentFact[];
  amounts: { refundedMinor: bigint; disputedMinor: bigint; heldMinor: bigint; refundableNowMinor: bigint };
  lines: RefundLine[];
  /** The Guildhalls this one was forked from (listForkOrigins): its refunds made there are marked so. */
  forks: readonly ForkOriginSummary[];
  /** The refund request the page comes back to after an approval or a decline (`?refund=`). */
  decidedId: string | undefined;
  userId: string;
  empty: string;
  children?: ReactNode;
}) {
  const money = (minor: bigint) => formatMoney(minor, props.currency);
  const { amounts, testIdPrefix: prefix } = props;
  // After an approval or a decline: what became of that refund, read from the database, not from the form.
  const decided = props.lines.find((l) => l.requestId === props.decidedId);
  const facts: PaymentFact[] = [
    ...props.facts,
    { term: "Refunded", detail: money(amounts.refundedMinor), mono: true, testId: `${prefix}-refunded` },
    { term: "Disputed", detail: money(amounts.disputedMinor), mono: true },
    { term: "Held by pending refunds", detail: money(amounts.heldMinor), mono: true },
    {
      term: "Can still be refunded",
      detail: money(amounts.refundableNowMinor),
      mono: true,
      testId: `${prefix}-refundable`,
    },
  ];
  return (
    <div className="space-y-6">
      <Link href={props.back.href} className="text-sm text-accent">
        ← {props.back.label}
      </Link>
      <h1 className="text-2xl font-semibold">
        {props.title} <span className="font-mono text-lg">{props.id}</span>
      </h1>
      {decided && (
        <p role="status" className="card text-sm text-green-800" data-testid="refund-notice">
          Refund of {money(decided.amountMinor)}: {refundState(decided)}
          {decided.approvedBy && `, decided by ${decided.approvedBy}`}.
        </p>
      )}
      <dl className="card grid grid-cols-2 gap-2 text-sm sm:grid-cols-4" data-testid={`${prefix}-summary`}>
        {facts.map((f) => [
          <dt key={`${f.term}-term`} className="text-stone-600">
            {f.term}
          </dt>,
          <dd
            key={`${f.term}-detail`}
            className={f.wide ? "col-span-1 sm:col-span-3" : f.mono ? "font-mono" : undefined}
            data-testid={f.testId}
          >
            {f.detail}
          </dd>,
        ])}
      </dl>
      {props.children}
      <RefundsTable
        lines={props.lines}
        currency={props.currency}
        userId={props.userId}
        empty={props.empty}
        forks={props.forks}
      />
    </div>
  );
}
