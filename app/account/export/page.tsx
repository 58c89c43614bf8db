import type { Metadata } from "next";
import Link from "next/link";
import { requirePageAccess } from "@/lib/auth/require-page-access";

export const metadata: Metadata = { title: "Your data" };

const contents = [
  "your profile: name, email address, when you joined and last signed in",
  "your passkeys' public parts (never a private key: Guildhall never has one)",
  "where you are and were signed in: sessions with device and address",
  "the apps you let sign you in, with the scopes you agreed to, and the tokens they hold (ids and dates, never the tokens)",
  "your roles and memberships in organizations, and invitations sent to you",
  "your ballots, each with the passkey signature that makes it checkable",
  "your purchases: orders and their signed receipts",
  "your fundings of release lines and hosts: amounts, what was paid and refunded, and whether your name is shown",
  "the mail Guildhall sent you (which and when; contents are not kept once delivered)",
  "the audit events about you, with the salts that open what the public log commits to about you",
];

/** Everything Guildhall holds about the person, downloadable as JSON with a published schema. */
export default async function AccountExportPage() {
  await requirePageAccess("signed-in", "/account/export");
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold">Your data</h1>
      <section className="card space-y-3">
        <h2 className="text-lg font-semibold">Download everything Guildhall holds about you</h2>
        <p className="text-sm text-stone-600">One JSON file, made now from a single consistent reading. It holds:</p>
        <ul className="list-disc pl-6 text-sm text-stone-700">
          {contents.map((c) => (
            <li key={c}>{c}</li>
          ))}
        </ul>
        <p className="text-sm text-stone-600">
          Its format is published as a JSON Schema at{" "}
          <a href="/schemas/account-export-v1.json">/schemas/account-export-v1.json</a>, so any program can read it. No
          secret is in it: no session token, code or API token.
        </p>
        <p className="text-sm text-stone-600" data-testid="not-in-export">
          Not in it, and why: secrets (session tokens, sign-in codes, API tokens and their hashes: they would let
          someone act as you, and you can make new ones wherever you go); mail contents (not kept once delivered); a
          theater&apos;s own records (its admins download the theater&apos;s signed backup from its page); other
          people&apos;s data, such as the ballots of others on the votes you took part in (each vote&apos;s public
          export has those).
        </p>
        <a className="btn" href="/api/account/export" download data-testid="download-export">
          Download my data
        </a>
      </section>
      <section className="card space-y-2">
        <h2 className="text-lg font-semibold">Receipts</h2>
        <p className="text-sm text-stone-600">
          Your signed purchase receipts, one by one or all together: <Link href="/account/purchases">Purchases</Link>.
        </p>
      </section>
      <section className="card space-y-2">
        <h2 className="text-lg font-semibold">Leaving</h2>
        <p className="text-sm text-stone-600">
          You can delete your account: <Link href="/account/delete">what is erased and what must be kept</Link>.
        </p>
      </section>
    </div>
  );
}
