import Link from "next/link";
import { getCurrentSession } from "@/lib/auth/get-current-session";
import { demoAccountsPresent } from "@/lib/seed/demo-accounts-present";
import { devMailboxExists } from "@/lib/mail/dev-mailbox-access";

export default async function HomePage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const [session, demo, params] = await Promise.all([getCurrentSession(), demoAccountsPresent(), searchParams]);
  return (
    <div className="space-y-6">
      {params["signed-out"] === "1" && !session && (
        <p
          role="status"
          data-testid="signed-out"
          className="rounded-md border border-green-300 bg-green-50 p-3 text-sm text-green-900"
        >
          You are signed out. The applications you signed in to through Guildhall were told as well.
        </p>
      )}
      <h1 className="text-3xl font-semibold">Guildhall</h1>
      <p className="max-w-2xl text-stone-700">
        The trusted layer of the federated ticketing service: it licenses theaters and certifies their keys, signs
        people in to the independent backend hosts, takes payments and splits them, and records the members&apos;
        binding votes. Everything it asserts is signed and recorded in an append-only audit chain, so anyone can check
        it.
      </p>
      {!session && (
        <div className="flex flex-wrap gap-3">
          <Link className="btn" href="/sign-in">
            Sign in
          </Link>
          <Link className="btn-secondary" href="/sign-up">
            Create an account
          </Link>
        </div>
      )}
      <p className="text-sm">
        <Link href="/governance">See the open votes, the roster and the release manifest</Link> (public).
      </p>
      {demo.length > 0 && (
        <section className="card space-y-3" data-testid="demo-accounts">
          <h2 className="text-lg font-semibold">Demo accounts</h2>
          <p className="text-sm text-stone-700">
            This portal runs on its embedded database with a demo organization. Sign in with any of these addresses and
            an email code
            {devMailboxExists()
              ? ": the code is not emailed, it lands in the dev mailbox, whose link the portal printed in the terminal where it was started."
              : "."}
          </p>
          <table className="table">
            <thead>
              <tr>
                <th>Who</th>
                <th>Email</th>
                <th>Try</th>
              </tr>
            </thead>
            <tbody>
              {demo.map((d) => (
                <tr key={d.email}>
                  <td>{d.who}</td>
                  <td className="font-mono text-xs">{d.email}</td>
                  <td>{d.tryThis}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p className="text-sm text-stone-700" data-testid="demo-vote-notice">
            The closed vote on the <Link href="/governance">governance page</Link> was made by the demo seed: it gave
            the org admin and the members software passkeys, cast their signed ballots on a clock set back one voting
            window, and closed the vote, so its tally verifies. The private keys of those passkeys were discarded after
            seeding and the passkeys removed from the accounts: nobody can sign with them again. Add a passkey of your
            own to vote.
          </p>
        </section>
      )}
    </div>
  );
}
