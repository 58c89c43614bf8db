import type { Metadata } from "next";
import { listForkOrigins, originOfRecord } from "@/lib/portability/list-fork-origins";
import { ForkNotice, OriginMark } from "@/app/origin-mark";
import Link from "next/link";
import { ClientStatus } from "@/app/client-status";
import { notFound } from "next/navigation";
import { requirePageAccess } from "@/lib/auth/require-page-access";
import { findHostBySlug } from "@/lib/oidc/clients/find-host-by-slug";
import { listHostClients } from "@/lib/oidc/clients/list-clients";
import { findLogEntryIndexes } from "@/lib/transparency/find-log-receipt";
import { registerClientAction, rotateSecretAction } from "./actions";
import { RegisterClientForm, RotateSecretButton } from "./register-client-form";

export const metadata: Metadata = { title: "OpenID clients" };

/** A host's relying-party clients: register, see their status, rotate secrets. Host operators only. */
export default async function HostClientsPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const host = await findHostBySlug(slug);
  if (!host) notFound();
  await requirePageAccess({ membership: "HOST_OPERATOR", orgId: host.id }, `/orgs/${slug}/clients`);
  const [clients, forks] = await Promise.all([listHostClients(host.id), listForkOrigins()]);
  // A client's registration is an entry of the public log; its page there shows the inclusion proof and checks it.
  const registrations = await findLogEntryIndexes(
    "oidc_client",
    clients.map((c) => c.id),
  );
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold">OpenID clients of {host.name}</h1>
      <ForkNotice forks={forks} />
      {clients.some((c) => originOfRecord(forks, c.createdAt)) && (
        <p className="max-w-2xl text-sm text-stone-600">
          A client that came from the origin keeps its registration here; if it has a secret, rotate it before use:
          secrets never leave a Guildhall.
        </p>
      )}
      <p className="max-w-2xl text-sm text-stone-600">
        Your host signs users in through Guildhall with these clients. A new client works once an org admin has approved
        it. The discovery document is at <code>/.well-known/openid-configuration</code>.
      </p>
      <table className="table" data-testid="host-clients">
        <thead>
          <tr>
            <th>Name</th>
            <th>client_id</th>
            <th>Status</th>
            <th>Grants</th>
            <th>Redirect URIs</th>
            <th>Protections</th>
            <th>Public log</th>
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
              <td className="font-mono text-xs">{c.id}</td>
              <td>
                <ClientStatus status={c.status} testId={`status-${c.id}`} />
              </td>
              <td className="text-xs">{c.grantTypes.join(", ")}</td>
              <td className="text-xs">{c.redirectUris.join(" ")}</td>
              <td className="text-xs" data-testid={`protections-${c.id}`}>
                {protectionsOf(c) || "—"}
              </td>
              <td className="text-xs">
                {registrations.has(c.id) ? (
                  <Link className="underline" href={`/log?entry=${registrations.get(c.id)}`}>
                    registered: entry {registrations.get(c.id)}
                  </Link>
                ) : (
                  "—"
                )}
              </td>
              <td>
                {c.tokenEndpointAuthMethod.startsWith("client_secret") && (
                  <RotateSecretButton action={rotateSecretAction.bind(null, slug, c.id)} />
                )}
              </td>
            </tr>
          ))}
          {clients.length === 0 && (
            <tr>
              <td colSpan={8} className="text-stone-500">
                No clients yet.
              </td>
            </tr>
          )}
        </tbody>
      </table>
      <RegisterClientForm action={registerClientAction.bind(null, slug)} />
    </div>
  );
}

/** The client's request and token protections, in words. */
function protectionsOf(c: {
  requirePushedAuthorizationRequests: boolean;
  requireSignedRequestObject: boolean;
  dpopBoundAccessTokens: boolean;
}): string {
  return [
    c.requirePushedAuthorizationRequests && "PAR required",
    c.requireSignedRequestObject && "signed requests required",
    c.dpopBoundAccessTokens && "DPoP-bound tokens",
  ]
    .filter(Boolean)
    .join(", ");
}
