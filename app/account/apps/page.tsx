import type { Metadata } from "next";
import { requirePageAccess } from "@/lib/auth/require-page-access";
import { listUserGrants } from "@/lib/oidc/grants/list-user-grants";
import { scopeDescriptions, isUserScope } from "@/lib/oidc/scopes";
import { listForkOrigins, originOfRecord } from "@/lib/portability/list-fork-origins";
import { ForkNotice, OriginMark } from "@/app/origin-mark";
import { revokeGrantAction } from "./actions";

export const metadata: Metadata = { title: "Connected apps" };

/** The apps the user let sign them in, with what each may see; revoking ends the app's access at once. */
export default async function ConnectedAppsPage() {
  const { session } = await requirePageAccess("signed-in", "/account/apps");
  const [grants, forks] = await Promise.all([listUserGrants(session.userId), listForkOrigins()]);
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold">Connected apps</h1>
      <ForkNotice forks={forks} />
      {grants.some((g) => originOfRecord(forks, g.since)) && (
        <p className="text-sm text-stone-600">
          What you agreed to share at the origin came with the fork: an app marked so may sign you in here with those
          scopes, without asking again, once its operator points it at this Guildhall. Revoke it here if you do not want
          that.
        </p>
      )}
      {grants.length === 0 && (
        <p className="text-stone-600" data-testid="no-apps">
          No app uses your Guildhall account.
        </p>
      )}
      <ul className="space-y-4" data-testid="connected-apps">
        {grants.map((g) => (
          <li key={g.id} className="card flex items-start justify-between gap-4">
            <div>
              <div className="font-medium">
                {g.clientName}
                {g.hostName ? <span className="text-stone-500"> · {g.hostName}</span> : null}
                <OriginMark origin={originOfRecord(forks, g.since)} />
              </div>
              <ul className="mt-1 text-sm text-stone-600">
                {g.scopes.filter(isUserScope).map((s) => (
                  <li key={s}>{scopeDescriptions[s]}</li>
                ))}
              </ul>
              <div className="mt-1 text-xs text-stone-500">Connected {g.since.toISOString().slice(0, 10)}</div>
            </div>
            <form action={revokeGrantAction.bind(null, g.id)}>
              <button type="submit" className="btn-secondary" data-testid={`revoke-${g.clientId}`}>
                Revoke access
              </button>
            </form>
          </li>
        ))}
      </ul>
    </div>
  );
}
