import { notFound } from "next/navigation";
import { requirePageAccess } from "@/lib/auth/require-page-access";
import { listOwnFundings } from "@/lib/funding/list-own-fundings";
import { simulatedFundingCards } from "@/lib/payments/complete-simulated-funding";
import { formatMoney } from "@/lib/money/format-money";
import { TestCardField } from "@/app/test-card-field";
import { ActionForm } from "@/app/action-form";
import { paySimulatedFundingAction } from "@/app/fund/simulated/[fundingId]/actions";

export const metadata = { title: "Test funding checkout (simulated)" };

/** The simulated provider's stand-in for Stripe's checkout of a funding: the funder pays with a test card. */
export default async function SimulatedFundingPage({ params }: { params: Promise<{ fundingId: string }> }) {
  const { fundingId } = await params;
  const { session } = await requirePageAccess("signed-in", `/fund/simulated/${encodeURIComponent(fundingId)}`);
  const funding = (await listOwnFundings(session.userId)).find((f) => f.id === fundingId);
  if (!funding) notFound();
  const target =
    funding.target.kind === "release_line" ? `the ${funding.target.name} release line` : funding.target.name;
  return (
    <div className="mx-auto max-w-lg space-y-6">
      <div
        role="alert"
        className="rounded-md border-2 border-dashed border-amber-500 bg-amber-50 p-4 text-sm text-amber-900"
        data-testid="simulated-banner"
      >
        <strong>SIMULATED TEST CHECKOUT.</strong> No real money moves. This page stands in for Stripe because no
        STRIPE_SECRET_KEY is configured. A monthly funding renews each month (the simulated provider bills it hourly
        once its period has ended) until you stop it.
      </div>
      <div className="card space-y-4">
        <h1 className="text-xl font-semibold">Funding {target}</h1>
        <p data-testid="funding-amount">
          {formatMoney(funding.amountMinor, funding.currency)}
          {funding.interval === "month" ? " a month" : ", once"}
        </p>
        {funding.status !== "pending" ? (
          <p className="font-medium text-green-800">This funding is paid.</p>
        ) : (
          <ActionForm action={paySimulatedFundingAction} submitLabel="Pay" testId="simulated-funding-form">
            <input type="hidden" name="fundingId" value={funding.id} />
            <TestCardField cards={simulatedFundingCards} />
          </ActionForm>
        )}
      </div>
    </div>
  );
}
