import type { Metadata } from "next";
import { listForkOrigins, originOfRecord } from "@/lib/portability/list-fork-origins";
import { ForkNotice, OriginMark } from "@/app/origin-mark";
import { ClientStatus, clientStatusWords } from "@/app/client-status";
import { requirePageAccess } from "@/lib/auth/require-page-access";
import Link from "next/link";
import {
  clientFilterSchema,
  clientStatuses,
  countPendingClients,
  listClientsPage,
} from "@/lib/oidc/clients/list-clients";
import { FilterSelect } from "@/app/filter-select";
import { activeFilters, FilterButtons, IgnoredFilters, PageLinks, readListFilter } from "@/app/list-filter";
import { listHosts } from "@/lib/oidc/clients/find-host-by-slug";
import { listInitialAccessTokens } from "@/lib/oidc/clients/initial-access-tokens";
import { issueInitialAccessTokenAction, reviewClientAction, revokeInitialAccessTokenAction } from "./actions";
import { IssueTokenForm, ReviewButtons } from "./admin-forms";

export const metadata: Metadata = { title: "OpenID clients · Admin" };

/** The filters' names in words, for saying which one was not understood. */
const filterWords: Record<string, string> = {
  status: "Status",
  hostOrgId: "Host",
  q: "Name or client_id (at most 100 characters)",
  before: "the page to start after",
};

/**
 * Org admins review every host's clients (approve, reject, suspend,
 * reinstate), newest first, 50 a page, filtered by status, host or name, and
 * issue registration tokens.
 */
export default async function AdminClientsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  await requirePageAccess({ role: "ORG_ADMIN" }, "/admin/clients");
  const { filter, ignored } = readListFilter(clientFilterSchema, await searchParams);
  const [{ clients, nextBefore }, pending, hosts, tokens, forks] = await Promise.all([
    listClientsPage(filter as Parameters<typeof listClientsPage>[0]),
    countPendingClients(),
    listHosts(),
    listInitialAccessTokens(),
    listForkOrigins(),
  ]);
  const { active, filtered } = activeFilters(filter);
  const { before } = filter;
  const now = new Date();
  return (
    <div className="space-y-8">
      <h1 className="text-2xl font-semibold">OpenID clients</h1>
      <ForkNotice forks={forks} />
      {pending > 0 && filter.status !== "pending" && (
        <p className="text-sm" data-testid="pending-clients">
          {pending === 1 ? "One client awaits" : `${pending} clients await`} your approval:{" "}
          <Link href="/admin/clients?status=pending">show {pending === 1 ? "it" : "them"}</Link>.
        </p>
      )}
      <form method="get" className="card grid gap-3 sm:grid-cols-3" data-testid="client-filter">
        <div>
          <label className="label" htmlFor="c-q">
            Name or client_id
          </label>
          <input className="input" id="c-q" name="q" defaultValue={filter.q} />
        </div>
        <FilterSelect
          id="c-status"
          name="status"
          label="Status"
          value={filter.status}
          choices={clientStatuses.map((st) => [st, clientStatusWords[st]] as const)}
        />
        <FilterSelect
          id="c-host"
          name="hostOrgId"
          label="Host"
          value={filter.hostOrgId}
          choices={[["operator", "The operator's own clients"], ...hosts.map((h) => [h.id, h.name] as const)]}
        />
        <FilterButtons listPath="/admin/clients" filtered={filtered} span="sm:col-span-3" />
      </form>
      <IgnoredFilters ignored={ignored} words={filterWords} />
      {clients.length === 0 ? (
        <p className="text-sm text-stone-600" data-testid="no-clients">
          {before
            ? "No older clients."
            : filtered
              ? "No client matches these filters."
              : "No client is registered yet."}
        </p>
      ) : (
        <table className="table" data-testid="admin-clients">
          <thead>
            <tr>
              <th>Name</th>
              <th>Host</th>
              <th>client_id</th>
              <th>Status</th>
              <th>Redirect URIs</th>
              <th>Subjects</th>
              <th>Registered (UTC)</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {clients.map((c) => (
              <tr key={c.id}>
                <td>
                  {c.name}
                  <OriginMark origin={originOfRecord(forks, c.createdAt)} />
                </td>
                <td>{c.host?.name ?? <span className="text-stone-500">operator</span>}</td>
                <td className="font-mono text-xs">{c.id}</td>
                <td>
                  <ClientStatus status={c.status} testId={`status-${c.id}`} />
                </td>
                <td className="text-xs">{c.redirectUris.join(" ")}</td>
                <td className="text-xs">{c.subjectType}</td>
                <td className="whitespace-nowrap text-xs">
                  {c.createdAt.toISOString().slice(0, 16).replace("T", " ")}
                </td>
                <td>
                  <ReviewButtons action={reviewClientAction} clientId={c.id} status={c.status} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <PageLinks
        listPath="/admin/clients"
        active={active}
        paged={Boolean(before)}
        nextBefore={nextBefore}
        olderTestId="older-clients"
      />
      <IssueTokenForm action={issueInitialAccessTokenAction} hosts={hosts} />
      <table className="table">
        <thead>
          <tr>
            <th>Initial access token</th>
            <th>Host</th>
            <th>Expires</th>
            <th>Last used</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {tokens.map((t) => (
            <tr key={t.id}>
              <td className="font-mono text-xs">{t.id}</td>
              <td>{hosts.find((h) => h.id === t.hostOrgId)?.name ?? "-"}</td>
              <td>
                {t.revokedAt ? "revoked" : t.expiresAt < now ? "expired" : t.expiresAt.toISOString().slice(0, 10)}
              </td>
              <td>{t.lastUsedAt?.toISOString().slice(0, 16).replace("T", " ") ?? "never"}</td>
              <td>
                {!t.revokedAt && t.expiresAt > now && (
                  <form action={revokeInitialAccessTokenAction.bind(null, t.id)}>
                    <button type="submit" className="btn-secondary">
                      Revoke
                    </button>
                  </form>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
