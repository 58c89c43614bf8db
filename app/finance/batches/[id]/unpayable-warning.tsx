import Link from "next/link";
import type { PayeeWithoutAccount } from "@/lib/payouts/list-payees-without-payout-account";

/** Said before the act: these payees' transfers would be refused today, and what fixes it. */
export function UnpayableWarning({ payees, when }: { payees: PayeeWithoutAccount[]; when: string }) {
  if (payees.length === 0) return null;
  return (
    <div
      role="alert"
      className="rounded-md border border-amber-300 bg-amber-50 p-4 text-sm"
      data-testid="unpayable-warning"
    >
      <p className="font-medium">
        {payees.length === 1 ? "1 payee" : `${payees.length} payees`} cannot be paid yet; {when}
      </p>
      <ul className="mt-2 list-disc pl-5">
        {payees.map((p) => (
          <li key={p.ledgerAccountId}>
            {p.orgSlug ? (
              <Link className="underline" href={`/orgs/${p.orgSlug}`}>
                {p.name}
              </Link>
            ) : (
              p.name
            )}
            : {p.reason}.
          </li>
        ))}
      </ul>
      <p className="mt-2">
        Ask each payee to connect a payout account on its Payouts page (the developers&apos; fund is connected on the
        Finance page), then retry their transfers.
      </p>
    </div>
  );
}
