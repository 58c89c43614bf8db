import type { Metadata } from "next";
import Link from "next/link";
import { requirePageAccess } from "@/lib/auth/require-page-access";
import { DeleteAccountButton } from "@/app/account/delete/delete-account-button";

export const metadata: Metadata = { title: "Delete your account" };

/** What deleting an account erases and what Guildhall must keep, stated before the person decides. */
export default async function DeleteAccountPage() {
  await requirePageAccess("signed-in", "/account/delete");
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold">Delete your account</h1>
      <p className="text-sm text-stone-600">
        Before you go, you may want to <Link href="/account/export">download your data</Link> and{" "}
        <Link href="/account/purchases">your receipts</Link>: after deletion nobody can give them to you again.
      </p>
      <section className="card space-y-2">
        <h2 className="text-lg font-semibold">Erased at once</h2>
        <ul className="list-disc pl-6 text-sm text-stone-700">
          <li>your name and email address (your account becomes an id that leads to no one)</li>
          <li>your passkeys, sessions, sign-in codes, and the mail Guildhall sent you</li>
          <li>your consents to apps, with every token they hold, and your roles and memberships</li>
          <li>
            the keys that open what the public log says about you: its entries hold only salted commitments to your
            details, and without the salts nobody, Guildhall included, can show what they were
          </li>
        </ul>
      </section>
      <section className="card space-y-2">
        <h2 className="text-lg font-semibold">Kept, and why</h2>
        <ul className="list-disc pl-6 text-sm text-stone-700">
          <li>
            <strong>Money records</strong>: your orders, their receipts, the ledger entries of your payments and any
            refunds and payouts. Bookkeeping law requires the org to keep them (typically ten years), and the theaters
            and hosts who were paid rely on them. They name you only by your account id and, on receipts, by a code each
            theater alone sees.
          </li>
          <li>
            <strong>Your ballots</strong>, with their passkey signatures: a vote must stay checkable by every member.
            They name you by your account id only.
          </li>
          <li>
            <strong>The audit history and the public log</strong>: they cannot change without breaking what everyone
            verifies. Events you took part in stay, with your account id. Words recorded in clear in an earlier event of
            the private history (a former display name, for instance) stay in that event: the history&apos;s hash chain
            covers them.
          </li>
          <li>the reason you give below, kept privately; the public log holds only a commitment to it</li>
        </ul>
        <p className="text-sm text-stone-600">
          If you are the last admin of an organization, or the last org admin, make someone else admin first.
        </p>
      </section>
      <DeleteAccountButton />
    </div>
  );
}
