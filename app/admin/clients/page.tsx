import type { Metadata } from "next";
import { ClientStatus } from "@/app/client-status";
import { requirePageAccess } from "@/lib/auth/require-page-access";
import { listClientsForReview } from "@/lib/oidc/clients/list-clients";
import { listHosts } from "@/lib/oidc/clients/find-host-by-slug";
import { listInitialAccessTokens } from "@/lib/oidc/clients/initial-access-tokens";
import { issueInitialAccessTokenAction, reviewClientAction, revokeInitialAccessTokenAction } from "./actions";
import { IssueTokenForm, ReviewButtons } from "./admin-forms";

export const metadata: Metadata = { title: "OpenID clients · Admin" };

/** Org admins review every host's clients (approve, reject, suspend, reinstate) and issue registration tokens. */
export default async function AdminClientsPage() {
  await requirePageAccess({ role: "ORG_ADMIN" }, "/admin/clients");
  const [clients, hosts, tokens] = await Promise.all([listClientsForReview(), listHosts(), listInitialAccessTokens()]);
  const now = new Date();
  return (
    <div className="space-y-8">
      <h1 className="text-2xl font-semibold">OpenID clients</h1>
      <table className="table" data-testid="admin-clients">
        <thead>
          <tr>
            <th>Name</th>
            <th>Host</th>
            <th>client_id</th>
            <th>Status</th>
            <th>Redirect URIs</th>
            <th>Subjects</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {clients.map((c) => (
            <tr key={c.id}>
              <td>{c.name}</td>
              <td>{c.host?.name ?? <span className="text-stone-500">operator</span>}</td>
              <td className="font-mono text-xs">{c.id}</td>
              <td>
                <ClientStatus status={c.status} testId={`status-${c.id}`} />
              </td>
              <td className="text-xs">{c.redirectUris.join(" ")}</td>
              <td className="text-xs">{c.subjectType}</td>
              <td>
                <ReviewButtons action={reviewClientAction} clientId={c.id} status={c.status} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
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
