import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { getCurrentSession } from "@/lib/auth/get-current-session";
import { getInteractionView } from "@/lib/oidc/authorize/get-interaction-view";
import { resumePath } from "@/lib/oidc/authorize/run-authorization";

export const metadata: Metadata = { title: "Sign in to an application" };

/** The consent screen, and the account choice of prompt=select_account. */
export default async function InteractionPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const session = await getCurrentSession();
  if (!session) redirect(`/sign-in?callbackUrl=${encodeURIComponent(resumePath(id))}`);
  const view = await getInteractionView(id, session);
  if (!view) {
    return (
      <div className="card max-w-xl">
        <h1 className="text-xl font-semibold">This sign-in request has expired</h1>
        <p className="mt-2 text-stone-700">Go back to the application and start again.</p>
      </div>
    );
  }
  const action = `/oidc/interaction/${encodeURIComponent(view.id)}/decision`;
  if (view.step === "select_account") {
    return (
      <div className="card max-w-xl space-y-4">
        <h1 className="text-xl font-semibold">Choose an account for {view.clientName}</h1>
        <form method="post" action={action} className="flex flex-wrap gap-3">
          <button type="submit" className="btn" name="action" value="continue" data-testid="continue-as">
            Continue as {view.userEmail}
          </button>
          <button type="submit" className="btn-secondary" name="action" value="switch">
            Use another account
          </button>
        </form>
      </div>
    );
  }
  return (
    <div className="card max-w-xl space-y-4">
      <h1 className="text-xl font-semibold" data-testid="consent-title">
        {view.clientName} wants to use your Guildhall account
      </h1>
      <p className="text-sm text-stone-600">
        {view.hostName ? <>Operated by {view.hostName}. </> : null}After you agree you go back to{" "}
        <span className="font-mono">{view.redirectHost}</span>. Signed in as {view.userEmail}.
      </p>
      <ul className="space-y-2" data-testid="consent-scopes">
        {view.scopes.map((s) => (
          <li key={s.scope}>
            <div className="font-medium">
              {s.description}
              {s.alreadyGranted ? <span className="ml-2 text-xs text-stone-500">(already shared)</span> : null}
            </div>
            {s.claims.length ? <div className="text-xs text-stone-500">Shares: {s.claims.join(", ")}</div> : null}
          </li>
        ))}
      </ul>
      <p className="text-xs text-stone-500">You can withdraw this at any time under Account → Connected apps.</p>
      <form method="post" action={action} className="flex flex-wrap gap-3">
        <button type="submit" className="btn" name="action" value="allow" data-testid="consent-allow">
          Allow
        </button>
        <button type="submit" className="btn-secondary" name="action" value="deny" data-testid="consent-deny">
          Deny
        </button>
      </form>
    </div>
  );
}
