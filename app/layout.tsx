import type { Metadata } from "next";
import Link from "next/link";
import "./globals.css";
import { getCurrentSession } from "@/lib/auth/get-current-session";
import { SignOutButton } from "@/app/sign-out-button";

export const dynamic = "force-dynamic";

export const metadata: Metadata = {
  title: { default: "Guildhall", template: "%s · Guildhall" },
  description: "The small, checkable trusted layer of the federated ticketing service.",
};

export default async function RootLayout({ children }: { children: React.ReactNode }) {
  const session = await getCurrentSession();
  return (
    <html lang="en">
      <body className="min-h-screen">
        <header className="border-b border-stone-200 bg-white">
          <nav className="mx-auto flex max-w-5xl items-center gap-6 px-4 py-3 text-sm">
            <Link href="/" className="font-semibold text-accent">Guildhall</Link>
            {session && <Link href="/account">Account</Link>}
            {session && <Link href="/account/apps">Apps</Link>}
            {session && <Link href="/orgs">Organizations</Link>}
            {session && <Link href="/licensing">Licensing</Link>}
            {session && <Link href="/admin">Admin</Link>}
            {session && <Link href="/payouts">Payouts</Link>}
            <Link href="/governance">Governance</Link>
            <span className="ml-auto flex items-center gap-3">
              {session ? (
                <>
                  <span className="text-stone-600" data-testid="signed-in-as">{session.user.email}</span>
                  <SignOutButton />
                </>
              ) : (
                <Link href="/sign-in" className="btn">Sign in</Link>
              )}
            </span>
          </nav>
        </header>
        <main className="mx-auto max-w-5xl px-4 py-8">{children}</main>
      </body>
    </html>
  );
}
