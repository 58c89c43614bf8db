import Link from "next/link";
import { listForkOrigins, originOfRecord } from "@/lib/portability/list-fork-origins";
import { ForkNotice, OriginMark } from "@/app/origin-mark";
import type { Metadata } from "next";
import { requirePageAccess } from "@/lib/auth/require-page-access";
import { listOrganizations } from "@/lib/orgs/list-organizations";
import { isOrgAdmin } from "@/lib/orgs/org-permissions";

export const metadata: Metadata = { title: "Organizations" };

const statusClass = { ACTIVE: "text-green-800", PENDING: "text-amber-700", SUSPENDED: "text-red-700" } as const;

export default async function OrganizationsPage() {
  const actor = (await requirePageAccess("signed-in", "/orgs")).actor;
  const [orgs, forks] = await Promise.all([listOrganizations({ actor }), listForkOrigins()]);
  const admin = isOrgAdmin(actor);
  return (
    <div className="space-y-6">
      <div className="flex items-center justify-between">
        <h1 className="text-2xl font-semibold">{admin ? "All organizations" : "My organizations"}</h1>
        {admin && (
          <Link href="/orgs/new" className="btn">
            New organization
          </Link>
        )}
      </div>
      <ForkNotice forks={forks} />
      {orgs.length === 0 ? (
        <p className="card text-stone-700" data-testid="no-orgs">
          You are not a member of any theater or host yet. An invitation link from a theater admin or host operator will
          add you.
        </p>
      ) : (
        <div className="card">
          <table className="table" data-testid="org-list">
            <thead>
              <tr>
                <th>Name</th>
                <th>Kind</th>
                <th>Status</th>
                <th>Members</th>
              </tr>
            </thead>
            <tbody>
              {orgs.map((o) => (
                <tr key={o.id}>
                  <td>
                    <Link className="text-accent underline" href={`/orgs/${o.slug}`}>
                      {o.name}
                    </Link>{" "}
                    <span className="text-stone-500">{o.slug}</span>
                    <OriginMark origin={originOfRecord(forks, o.createdAt)} />
                  </td>
                  <td>{o.kind === "THEATER" ? "Theater" : "Host"}</td>
                  <td className={statusClass[o.status]}>{o.status.toLowerCase()}</td>
                  <td>{o.memberCount}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
