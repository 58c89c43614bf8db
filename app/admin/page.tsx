import Link from "next/link";
import type { Metadata } from "next";
import { requirePageAccess } from "@/lib/auth/require-page-access";

export const metadata: Metadata = { title: "Admin" };

const sections = [
  {
    href: "/admin/users",
    title: "Users and roles",
    text: "Create accounts, grant and revoke org admin, member, committer and finance roles.",
  },
  { href: "/orgs", title: "Organizations", text: "Theaters and hosts, their members and invitations." },
  {
    href: "/admin/clients",
    title: "OpenID clients",
    text: "Approve, suspend and reinstate hosts' relying-party clients; issue registration tokens.",
  },
  {
    href: "/admin/licensing",
    title: "Licensing",
    text: "Plans and their prices; every theater's license, with suspend, reinstate and revoke.",
  },
  {
    href: "/admin/audit",
    title: "Audit chain",
    text: "Every state change, hash-chained; browse, filter and check the chain.",
  },
];

export default async function AdminPage() {
  await requirePageAccess({ role: "ORG_ADMIN" }, "/admin");
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold">Admin</h1>
      <div className="grid gap-4 sm:grid-cols-2" data-testid="admin-dashboard">
        {sections.map((s) => (
          <Link key={s.href} href={s.href} className="card block hover:border-accent">
            <h2 className="font-semibold text-accent">{s.title}</h2>
            <p className="mt-1 text-sm text-stone-700">{s.text}</p>
          </Link>
        ))}
      </div>
    </div>
  );
}
