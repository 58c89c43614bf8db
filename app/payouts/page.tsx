import Link from "next/link";
import { requirePageAccess } from "@/lib/auth/require-page-access";

export const metadata = { title: "Payouts" };

/** Where the nav's Payouts link leads: finance's pages and each payee organization's statement. */
export default async function PayoutsIndexPage() {
  const { access } = await requirePageAccess("signed-in", "/payouts");
  const payees = access.memberships.filter(
    (m) => (m.kind === "THEATER" && m.role === "THEATER_ADMIN") || (m.kind === "HOST" && m.role === "HOST_OPERATOR"),
  );
  const finance = access.roles.includes("FINANCE");
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-semibold">Payouts</h1>
      {finance && (
        <p>
          <Link className="text-accent" href="/finance">
            Finance: batches, policies, orders, reconciliation
          </Link>
        </p>
      )}
      <ul className="list-disc pl-6">
        {payees.map((m) => (
          <li key={m.orgId}>
            <Link className="text-accent" href={`/orgs/${m.slug}/payouts`}>
              {m.name}
            </Link>
          </li>
        ))}
      </ul>
      {!finance && payees.length === 0 && <p className="text-sm text-stone-600">You receive no payouts.</p>}
    </div>
  );
}
