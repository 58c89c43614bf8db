import type { Metadata } from "next";
import { getCurrentSession } from "@/lib/auth/get-current-session";
import { getUserAccess } from "@/lib/access/user-access";
import { getReleasesOverview } from "@/lib/governance/get-releases-overview";
import { DeclareReleaseForm } from "./declare-release-form";
import { findLogReceiptIfAny } from "@/lib/transparency/find-log-receipt";
import { LogReceiptLine } from "@/app/log/log-receipt-line";
import { listForkOrigins, originOfRecord } from "@/lib/portability/list-fork-origins";
import { ForkNotice, OriginMark } from "@/app/origin-mark";

export const metadata: Metadata = { title: "Releases" };

/** Public: approved releases per line, host declarations, and where to fetch the signed manifest. */
export default async function ReleasesPage() {
  const [{ lines, declarations, manifest, hosts }, session, forks] = await Promise.all([
    getReleasesOverview(),
    getCurrentSession(),
    listForkOrigins(),
  ]);
  const [access, manifestReceipt] = await Promise.all([
    session ? getUserAccess(session.userId) : null,
    findLogReceiptIfAny({ kind: "release_manifest", id: String(manifest.seq) }),
  ]);
  const operated = hosts.filter((h) => access?.memberships.some((m) => m.orgId === h.id && m.role === "HOST_OPERATOR"));
  const releaseById = new Map(lines.flatMap((l) => l.releases.map((r) => [r.id, `${l.name} ${r.version}`] as const)));
  const hostName = new Map(hosts.map((h) => [h.id, h.name]));
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold">Releases</h1>
      <ForkNotice forks={forks} />
      <p className="text-sm">
        Signed release manifest #{manifest.seq} (SHA-256 of its payload{" "}
        <code className="break-all">{manifest.digest}</code>):{" "}
        <a href="/api/governance/release-manifest">/api/governance/release-manifest</a>, verified with the keys at{" "}
        <a href="/api/governance/jwks">/api/governance/jwks</a>.
        {originOfRecord(forks, manifest.createdAt) && (
          <>
            {" "}
            <OriginMark origin={originOfRecord(forks, manifest.createdAt)} /> It was signed there, by a key this
            Guildhall publishes as its predecessor&apos;s, so the pins it holds stay valid here until a vote here
            changes them.
          </>
        )}
      </p>
      <LogReceiptLine receipt={manifestReceipt} what="This manifest" testId="manifest-log-receipt" />
      {lines.map((l) => (
        <section key={l.id} className="card" data-testid={`release-line-${l.name}`}>
          <h2 className="font-semibold">
            {l.name}
            <OriginMark origin={originOfRecord(forks, l.createdAt)} />
          </h2>
          <p className="text-sm">
            <a href={`/funding/${encodeURIComponent(l.name)}`}>Who runs it, what funds it, and how to fund it</a>
          </p>
          <p className="text-sm text-stone-600">
            {l.description}
            {l.forkedFromReleaseId &&
              ` Forked from ${releaseById.get(l.forkedFromReleaseId) ?? l.forkedFromReleaseId}.`}
          </p>
          {l.releases.length === 0 ? (
            <p className="text-sm">No approved release yet.</p>
          ) : (
            <table className="table mt-2">
              <thead>
                <tr>
                  <th>Version</th>
                  <th>SHA-256</th>
                  <th>Vote</th>
                </tr>
              </thead>
              <tbody>
                {l.releases.map((r) => (
                  <tr key={r.id}>
                    <td>
                      {r.version}
                      <OriginMark origin={originOfRecord(forks, r.approvedAt)} />
                    </td>
                    <td className="break-all font-mono text-xs">{r.artifactSha256}</td>
                    <td>
                      <a href={`/governance/${r.proposalId}`}>proposal</a>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      ))}
      <section>
        <h2 className="mb-2 text-lg font-semibold">What the hosts run</h2>
        {declarations.length === 0 ? (
          <p className="text-sm text-stone-600">No host has declared a release yet.</p>
        ) : (
          <table className="table" data-testid="host-declarations">
            <thead>
              <tr>
                <th>Host</th>
                <th>Release</th>
                <th>Declared</th>
              </tr>
            </thead>
            <tbody>
              {declarations.map((d) => (
                <tr key={`${d.hostOrgId}-${d.releaseLineId}`}>
                  <td>{hostName.get(d.hostOrgId) ?? d.hostOrgId}</td>
                  <td>{releaseById.get(d.releaseId) ?? d.releaseId}</td>
                  <td>
                    {d.declaredAt.toISOString().slice(0, 16)}
                    <OriginMark origin={originOfRecord(forks, d.declaredAt)} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      {operated.length > 0 && (
        <DeclareReleaseForm
          hosts={operated.map((h) => ({ id: h.id, name: h.name }))}
          releases={[...releaseById].map(([id, label]) => ({ id, label }))}
        />
      )}
    </div>
  );
}
