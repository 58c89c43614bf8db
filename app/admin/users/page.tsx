import Link from "next/link";
import type { Metadata } from "next";
import { z } from "zod";
import { requirePageAccess } from "@/lib/auth/require-page-access";
import { listUsers } from "@/lib/orgs/list-users";
import { globalRoleSchema } from "@/lib/orgs/org-schemas";
import { globalRoleLabels, membershipRoleLabels } from "@/lib/orgs/role-labels";
import { ActionForm } from "@/app/action-form";
import { createUserAction, disableUserAction, grantRoleAction, revokeRoleAction } from "@/app/admin/users/actions";

export const metadata: Metadata = { title: "Users and roles" };

const querySchema = z.object({
  q: z.string().trim().max(254).optional().catch(undefined),
  after: z.string().max(100).optional().catch(undefined),
});
const allRoles = globalRoleSchema.options;

export default async function AdminUsersPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  await requirePageAccess({ role: "ORG_ADMIN" }, "/admin/users");
  const { q, after } = querySchema.parse(await searchParams);
  const { users, nextAfter } = await listUsers({ query: q, after, limit: 50 });
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold">Users and roles</h1>

      <section className="card space-y-3">
        <h2 className="text-lg font-semibold">Create an account</h2>
        <ActionForm
          action={createUserAction}
          submitLabel="Create"
          className="flex flex-wrap items-start gap-2"
          testId="create-user-form"
        >
          <input
            className="input max-w-xs"
            type="email"
            name="email"
            required
            placeholder="name@example.org"
            aria-label="Email"
          />
          <input className="input max-w-xs" name="name" placeholder="Name (optional)" aria-label="Name" />
          <select className="input max-w-xs" name="role" defaultValue="" aria-label="Role">
            <option value="">No role</option>
            {allRoles.map((r) => (
              <option key={r} value={r}>
                {globalRoleLabels[r]}
              </option>
            ))}
          </select>
        </ActionForm>
      </section>

      <form className="flex gap-2" method="get">
        <input
          className="input max-w-sm"
          name="q"
          defaultValue={q}
          placeholder="Search email or name"
          aria-label="Search"
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
                  <div>{u.email}</div>
                  <div className="text-xs text-stone-500">
                    {u.name ?? "—"} · {u.emailVerified ? "verified" : "unverified"}
                    {u.disabled ? " · disabled" : ""}
                  </div>
                  {!u.disabled && (
                    <ActionForm
                      action={disableUserAction}
                      submitLabel="Disable account"
                      variant="secondary"
                      className="mt-1 flex flex-wrap items-start gap-1"
                      testId="disable-user-form"
                    >
                      <input type="hidden" name="userId" value={u.id} />
                      <input
                        className="input w-48"
                        name="reason"
                        required
                        minLength={3}
                        aria-label={`Why disable ${u.email}`}
                        placeholder="Reason (required)"
                      />
                    </ActionForm>
                  )}
                </td>
                <td className="space-y-1">
                  {u.roles.length === 0 && <span className="text-stone-500">—</span>}
                  {u.roles.map((r) => (
                    <ActionForm
                      key={r}
                      action={revokeRoleAction}
                      submitLabel={`Revoke ${r}`}
                      variant="secondary"
                      className="flex flex-col items-start gap-1"
                      testId={`revoke-${r}`}
                    >
                      <input type="hidden" name="userId" value={u.id} />
                      <input type="hidden" name="role" value={r} />
                    </ActionForm>
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
                    <ActionForm
                      action={grantRoleAction}
                      submitLabel="Grant"
                      variant="secondary"
                      className="flex flex-wrap items-start gap-1"
                      testId="grant-form"
                    >
                      <input type="hidden" name="userId" value={u.id} />
                      <select className="input w-36" name="role" aria-label="Role to grant">
                        {allRoles
                          .filter((r) => !u.roles.includes(r))
                          .map((r) => (
                            <option key={r} value={r}>
                              {r}
                            </option>
                          ))}
                      </select>
                    </ActionForm>
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
