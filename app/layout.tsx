import type { Metadata } from "next";
import Link from "next/link";
import "./globals.css";
import { getCurrentSession } from "@/lib/auth/get-current-session";
import { SignOutButton } from "@/app/sign-out-button";
import { Notice } from "@/app/notice";
import { hasRole } from "@/lib/access/user-access";
import { getRequestAccess } from "@/lib/auth/require-page-access";

export const dynamic = "force-dynamic";

export const metadata: Metadata = {
  title: { default: "Guildhall", template: "%s · Guildhall" },
  description: "The small, checkable trusted layer of the federated ticketing service.",
};

export default async function RootLayout({ children }: { children: React.ReactNode }) {
  const session = await getCurrentSession();
  const access = session ? await getRequestAccess(session.userId) : null;
  // Links follow the roles; the pages check permission again on the server.
  const links: { href: string; label: string; show: boolean }[] = [
    { href: "/account", label: "Account", show: !!access },
    { href: "/account/apps", label: "Apps", show: !!access },
    { href: "/orgs", label: "Organizations", show: !!access },
    { href: "/licensing", label: "Licensing", show: !!access?.memberships.some((m) => m.role === "THEATER_ADMIN") },
    { href: "/payouts", label: "Payouts", show: !!access?.memberships.length },
    { href: "/finance", label: "Finance", show: !!access && hasRole(access, "FINANCE") },
    { href: "/admin", label: "Admin", show: !!access && hasRole(access, "ORG_ADMIN") },
    { href: "/governance", label: "Governance", show: true },
    { href: "/log", label: "Log", show: true },
  ];
  return (
    <html lang="en">
      <body className="min-h-screen">
        <header className="border-b border-stone-200 bg-white">
          <nav className="mx-auto flex max-w-5xl items-center gap-6 px-4 py-3 text-sm">
            <Link href="/" className="font-semibold text-accent">
              Guildhall
            </Link>
            {links
              .filter((l) => l.show)
              .map((l) => (
                <Link key={l.href} href={l.href}>
                  {l.label}
                </Link>
              ))}
            <span className="ml-auto flex items-center gap-3">
              {session ? (
                <>
                  <span className="text-stone-600" data-testid="signed-in-as">
                    {session.user.email}
                  </span>
                  <SignOutButton />
                </>
              ) : (
                <Link href="/sign-in" className="btn">
                  Sign in
                </Link>
              )}
            </span>
          </nav>
        </header>
        <main className="mx-auto max-w-5xl px-4 py-8">
          <Notice />
          {children}
        </main>
      </body>
    </html>
  );
}
