import Link from "next/link";
import { listForkOrigins, originOfRecord } from "@/lib/portability/list-fork-origins";
import { ForkNotice, OriginMark } from "@/app/origin-mark";
import type { Metadata } from "next";
import { z } from "zod";
import { requirePageAccess } from "@/lib/auth/require-page-access";
import { listUsers } from "@/lib/orgs/list-users";
import { globalRoleSchema } from "@/lib/orgs/org-schemas";
import { globalRoleLabels, membershipRoleLabels } from "@/lib/orgs/role-labels";
import { ActionForm } from "@/app/action-form";
import { ConfirmWithReason } from "@/app/confirm-with-reason";
import { createUserAction, disableUserAction, grantRoleAction, revokeRoleAction } from "@/app/admin/users/actions";

export const metadata: Metadata = { title: "Users and roles" };

const querySchema = z.object({
  q: z.string().trim().max(254).optional().catch(undefined),
  after: z.string().max(100).optional().catch(undefined),
});
const allRoles = globalRoleSchema.options;

/** What each role lets its holder do, said where an admin grants or revokes it. */
const roleConsequences: Record<(typeof allRoles)[number], string> = {
  ORG_ADMIN: "Manages users, roles, organizations, clients and licensing.",
  MEMBER:
    "Casts binding votes in governance: joins the roster of every vote opened from now on (votes already open keep the roster they opened with). The members can also decide this together with a roster-change vote.",
  COMMITTER:
    "Casts non-binding votes in governance: joins the roster of every vote opened from now on. The members can also decide this together with a roster-change vote.",
  FINANCE: "Sees the money, approves and sends payout batches, refunds orders.",
};

export default async function AdminUsersPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  await requirePageAccess({ role: "ORG_ADMIN" }, "/admin/users");
  const { q, after } = querySchema.parse(await searchParams);
  const [{ users, nextAfter }, forks] = await Promise.all([
    listUsers({ query: q, after, limit: 50 }),
    listForkOrigins(),
  ]);
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold">Users and roles</h1>
      <ForkNotice forks={forks} />

      <section className="card space-y-3">
        <h2 className="text-lg font-semibold">Create an account</h2>
        <ActionForm
          action={createUserAction}
          submitLabel="Create"
          className="flex flex-wrap items-end gap-3"
          testId="create-user-form"
        >
          <div className="w-full max-w-xs">
            <label className="label" htmlFor="new-user-email">
              Email address
            </label>
            <input
              id="new-user-email"
              className="input"
              type="email"
              name="email"
              required
              placeholder="name@example.org"
            />
          </div>
          <div className="w-full max-w-xs">
            <label className="label" htmlFor="new-user-name">
              Name (optional)
            </label>
            <input id="new-user-name" className="input" name="name" />
          </div>
          <div className="w-full max-w-xs">
            <label className="label" htmlFor="new-user-role">
              Role
            </label>
            <select id="new-user-role" className="input" name="role" defaultValue="">
              <option value="">No role</option>
              {allRoles.map((r) => (
                <option key={r} value={r}>
                  {globalRoleLabels[r]}
                </option>
              ))}
            </select>
          </div>
          <p className="w-full text-xs text-stone-600">
            They get an email saying the account exists and how to sign in with a code; they add a passkey themselves.
          </p>
        </ActionForm>
      </section>

      <form className="flex flex-wrap gap-2" method="get">
        <label className="sr-only" htmlFor="user-search">
          Search by email or name
        </label>
        <input
          id="user-search"
          className="input max-w-sm"
          name="q"
          defaultValue={q}
          placeholder="Search by email or name"
        />
        <button className="btn-secondary" type="submit">
          Search
        </button>
      </form>

      <div className="card overflow-x-auto">
        <table className="table" data-testid="user-list">
          <thead>
            <tr>
              <th>User</th>
              <th>Roles</th>
              <th>Organizations</th>
              <th>Grant</th>
            </tr>
          </thead>
          <tbody>
            {users.map((u) => (
              <tr key={u.id} data-testid={`user-${u.email}`}>
                <td>
                  <div>
                    {u.email}
                    <OriginMark origin={originOfRecord(forks, u.createdAt)} />
                  </div>
                  <div className="text-xs text-stone-500">
                    {u.name ?? "—"} · {u.emailVerified ? "verified" : "unverified"}
                    {u.disabled ? " · disabled" : ""}
                  </div>
                  {!u.disabled && (
                    <div className="mt-1">
                      <ConfirmWithReason
                        triggerLabel="Disable account…"
                        title={`Disable the account of ${u.email}?`}
                        consequence={
                          <p>
                            They are signed out everywhere at once: their sessions, the apps they signed in to and their
                            theater API tokens stop working, and they cannot sign in again. Their data stays, but
                            nothing in Guildhall enables the account again.
                          </p>
                        }
                        confirmLabel="Disable the account"
                        action={disableUserAction}
                        fields={{ userId: u.id }}
                        testId="disable-user"
                      />
                    </div>
                  )}
                </td>
                <td className="space-y-1">
                  {u.roles.length === 0 && <span className="text-stone-500">—</span>}
                  {u.roles.map((r) => (
                    <div key={r}>
                      <ConfirmWithReason
                        triggerLabel={`Revoke ${globalRoleLabels[r]}`}
                        title={`Revoke the ${globalRoleLabels[r]} role from ${u.email}?`}
                        consequence={<p>{roleConsequences[r]} They lose it at once.</p>}
                        confirmLabel="Revoke the role"
                        action={revokeRoleAction}
                        fields={{ userId: u.id, role: r }}
                        testId={`revoke-${r}`}
                      />
                    </div>
                  ))}
                </td>
                <td className="text-xs">
                  {u.memberships.map((m) => (
                    <div key={m.orgSlug}>
                      <Link className="underline" href={`/orgs/${m.orgSlug}`}>
                        {m.orgName}
                      </Link>{" "}
                      ({membershipRoleLabels[m.role]})
                    </div>
                  ))}
                </td>
                <td>
                  {u.roles.length < allRoles.length && (
                    <ConfirmWithReason
                      triggerLabel="Grant a role…"
                      title={`Grant a role to ${u.email}`}
                      consequence={<p>The role takes effect at once; only an org admin can take it back.</p>}
                      confirmLabel="Grant the role"
                      action={grantRoleAction}
                      fields={{ userId: u.id }}
                      testId="grant-form"
                    >
                      <label className="label" htmlFor={`grant-${u.id}`}>
                        Role to grant
                      </label>
                      <select id={`grant-${u.id}`} className="input" name="role">
                        {allRoles
                          .filter((r) => !u.roles.includes(r))
                          .map((r) => (
                            <option key={r} value={r}>
                              {globalRoleLabels[r]}: {roleConsequences[r]}
                            </option>
                          ))}
                      </select>
                    </ConfirmWithReason>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {nextAfter && (
          <Link
            className="btn-secondary mt-4"
            href={`/admin/users?${new URLSearchParams({ ...(q ? { q } : {}), after: nextAfter })}`}
          >
            Next page
          </Link>
        )}
      </div>
    </div>
  );
}
