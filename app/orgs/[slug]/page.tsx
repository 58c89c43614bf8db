import { listForkOrigins, originOfRecord } from "@/lib/portability/list-fork-origins";
import { ForkNotice, OriginMark } from "@/app/origin-mark";
import type { Metadata } from "next";
import Link from "next/link";
import { requirePageAccess } from "@/lib/auth/require-page-access";
import { getOrganizationDetail } from "@/lib/orgs/get-organization-detail";
import { membershipRoleLabels } from "@/lib/orgs/role-labels";
import { orRefusalPage } from "@/app/or-refusal-page";
import { ActionForm } from "@/app/action-form";
import {
  inviteMemberAction,
  removeMemberAction,
  renameOrganizationAction,
  revokeInvitationAction,
} from "@/app/orgs/[slug]/actions";
import { LicenseLog } from "@/app/orgs/[slug]/license-log";

export const metadata: Metadata = { title: "Organization" };

export default async function OrganizationPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const actor = (await requirePageAccess("signed-in", `/orgs/${encodeURIComponent(slug)}`)).actor;
  const [{ org, canManage, members, invitations }, forks] = await Promise.all([
    orRefusalPage(getOrganizationDetail({ slug, actor })),
    listForkOrigins(),
  ]);
  const hidden = (
    <>
      <input type="hidden" name="orgId" value={org.id} />
      <input type="hidden" name="slug" value={org.slug} />
    </>
  );
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold" data-testid="org-name">
          {org.name}
          <OriginMark origin={originOfRecord(forks, org.createdAt)} />
        </h1>
        <p className="text-sm text-stone-600">
          {org.kind === "THEATER" ? "Theater" : "Host"} · {org.slug} ·{" "}
          <span data-testid="org-status">{org.status.toLowerCase()}</span>
          {org.status === "PENDING" && " (waiting for the members to admit it)"}
        </p>
        <ForkNotice forks={forks} />
        {canManage && (
          <p className="flex flex-wrap gap-x-4 text-sm">
            {org.kind === "HOST" && (
              <Link href={`/orgs/${org.slug}/clients`} data-testid="clients-link">
                OpenID clients: sign people in to your host
              </Link>
            )}
            {org.kind === "THEATER" && <Link href="/licensing">Licenses, keys and API tokens</Link>}
            <Link href={`/orgs/${org.slug}/payouts`}>Payouts</Link>
            <a href={`/orgs/${org.slug}/webhooks`} data-testid="webhooks-link">
              Webhooks
            </a>
          </p>
        )}
      </div>

      <section className="card space-y-3">
        <h2 className="text-lg font-semibold">Members</h2>
        <table className="table" data-testid="member-list">
          <thead>
            <tr>
              <th>Name</th>
              <th>Email</th>
              <th>Role</th>
              {canManage && <th />}
            </tr>
          </thead>
          <tbody>
            {members.map((m) => (
              <tr key={m.userId}>
                <td>
                  {m.name ?? "—"}
                  <OriginMark origin={originOfRecord(forks, m.since)} />
                </td>
                <td>{m.email}</td>
                <td>{membershipRoleLabels[m.role]}</td>
                {canManage && (
                  <td>
                    <ActionForm
                      action={removeMemberAction}
                      submitLabel="Remove"
                      variant="secondary"
                      className="flex flex-col items-start gap-1"
                      testId={`remove-${m.email}`}
                    >
                      {hidden}
                      <input type="hidden" name="userId" value={m.userId} />
                    </ActionForm>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </section>

      {org.kind === "THEATER" && <LicenseLog orgId={org.id} />}

      {canManage && (
        <>
          <section className="card space-y-3">
            <h2 className="text-lg font-semibold">Invite someone</h2>
            <p className="text-sm text-stone-700">
              They get an email with a link that works once, for 7 days, and join as{" "}
              {org.kind === "THEATER" ? "a theater admin" : "a host operator"}.
            </p>
            <ActionForm
              action={inviteMemberAction}
              submitLabel="Send invitation"
              className="flex flex-wrap items-start gap-2"
              testId="invite-form"
            >
              {hidden}
              <div className="w-full max-w-sm">
                <label className="label" htmlFor="invite-email">
                  Their email address
                </label>
                <input
                  id="invite-email"
                  className="input"
                  type="email"
                  name="email"
                  required
                  placeholder="name@example.org"
                />
              </div>
            </ActionForm>
          </section>

          <section className="card space-y-3">
            <h2 className="text-lg font-semibold">Pending invitations</h2>
            {invitations.length === 0 ? (
              <p className="text-sm text-stone-600">None.</p>
            ) : (
              <table className="table" data-testid="invitation-list">
                <thead>
                  <tr>
                    <th>Email</th>
                    <th>Expires</th>
                    <th />
                  </tr>
                </thead>
                <tbody>
                  {invitations.map((i) => (
                    <tr key={i.id}>
                      <td>
                        {i.email}
                        {originOfRecord(forks, i.createdAt) && (
                          <>
                            <OriginMark origin={originOfRecord(forks, i.createdAt)} />
                            <div className="text-xs text-stone-600">
                              Its link was made there and does not open here: withdraw it and invite again.
                            </div>
                          </>
                        )}
                      </td>
                      <td>{i.expiresAt.toISOString().slice(0, 16).replace("T", " ")} UTC</td>
                      <td>
                        <ActionForm
                          action={revokeInvitationAction}
                          submitLabel="Withdraw"
                          variant="secondary"
                          className="flex flex-col items-start gap-1"
                        >
                          {hidden}
                          <input type="hidden" name="invitationId" value={i.id} />
                        </ActionForm>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>

          {org.kind === "THEATER" && (
            <section className="card space-y-2" data-testid="theater-backup">
              <h2 className="text-lg font-semibold">Backup</h2>
              <p className="text-sm text-stone-600">
                Everything Guildhall holds for this theater (members and roles, licenses with their certificates and
                documents, orders, ticket sales, refunds, payout statements, API tokens without their secrets, settings)
                as one JSON file signed by Guildhall&apos;s export key. Its format is published at{" "}
                <a href="/schemas/theater-backup-v2.json">/schemas/theater-backup-v2.json</a>; another Guildhall imports
                it after checking every signature in it.
              </p>
              <a
                className="btn"
                href={`/api/licensing/theaters/${org.id}/backup`}
                download
                data-testid="download-backup"
              >
                Download a signed backup
              </a>
            </section>
          )}

          <section className="card space-y-3">
            <h2 className="text-lg font-semibold">Rename</h2>
            <ActionForm
              action={renameOrganizationAction}
              submitLabel="Save name"
              variant="secondary"
              className="flex flex-wrap items-start gap-2"
              testId="rename-form"
            >
              {hidden}
              <div className="w-full max-w-sm">
                <label className="label" htmlFor="org-name">
                  Organization name
                </label>
                <input
                  id="org-name"
                  className="input"
                  name="name"
                  defaultValue={org.name}
                  required
                  minLength={2}
                  maxLength={100}
                />
              </div>
            </ActionForm>
          </section>
        </>
      )}
    </div>
  );
}
