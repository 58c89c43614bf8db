import type { Metadata } from "next";
import "./globals.css";
import { getCurrentSession } from "@/lib/auth/get-current-session";
import { SiteNav } from "@/app/site-nav";
import { ScrollableTables } from "@/app/scrollable-tables";
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
        <a href="#main" className="skip-link">
          Skip to content
        </a>
        <header className="border-b border-stone-200 bg-white">
          <SiteNav
            links={links.filter((l) => l.show).map(({ href, label }) => ({ href, label }))}
            email={session?.user.email ?? null}
          />
        </header>
        <main id="main" className="mx-auto max-w-5xl px-4 py-6 sm:py-8">
          <Notice />
          {children}
        </main>
        <ScrollableTables />
      </body>
    </html>
  );
}
