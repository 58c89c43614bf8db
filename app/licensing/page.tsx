import Link from "next/link";
import { requirePageAccess } from "@/lib/auth/require-page-access";
import { hasRole } from "@/lib/access/user-access";
import { listLicensePlans } from "@/lib/licensing/list-license-plans";
import { listTheaterLicenses } from "@/lib/licensing/list-licenses";
import { listTheaterApiTokens } from "@/lib/licensing/theater-api-tokens";
import { formatMoney } from "@/lib/money/format-money";
import { CheckoutButton } from "./buy-plan-button";
import { CertificatePanel } from "./certificate-panel";
import { ApiTokens } from "./api-tokens";
import { LicenseStateBadge, Entitlements } from "./license-bits";
import { findLogReceipts } from "@/lib/transparency/find-log-receipt";
import { LogReceiptLine } from "@/app/log/log-receipt-line";
import { listForkOrigins, originOfRecord } from "@/lib/portability/list-fork-origins";
import { ForkNotice, OriginMark } from "@/app/origin-mark";

export const metadata = { title: "Licenses" };

export default async function LicensingPage({ searchParams }: { searchParams: Promise<{ paid?: string }> }) {
  const { access, actor } = await requirePageAccess("signed-in", "/licensing");
  const { paid } = await searchParams;
  const theaters = access.memberships.filter((m) => m.role === "THEATER_ADMIN" && m.kind === "THEATER");
  const [plans, licenses, forks] = await Promise.all([
    listLicensePlans(),
    listTheaterLicenses(theaters.map((t) => t.orgId)),
    listForkOrigins(),
  ]);
  // The checkout's return address names the license paid for; only one of this admin's own licenses is named.
  const paidLicense = paid ? licenses.find((l) => l.id === paid) : undefined;
  const receipts = await findLogReceipts(
    licenses.flatMap((l) => [
      { kind: "license" as const, id: l.id },
      ...(l.currentCertificate ? [{ kind: "certificate" as const, id: l.currentCertificate.id }] : []),
    ]),
  );
  const tokens = await Promise.all(theaters.map((t) => listTheaterApiTokens({ orgId: t.orgId, actor })));

  return (
    <div className="space-y-8">
      <div>
        <h1 className="text-2xl font-semibold">Licenses</h1>
        <p className="mt-1 max-w-2xl text-sm text-stone-600">
          A license lets your theater&apos;s management client connect to the backend hosts. Buy a plan, then make a
          key: it is made in your browser and only its public half is certified. Hosts check the certificate and the
          signed license document offline.
        </p>
        {(hasRole(access, "ORG_ADMIN") || hasRole(access, "FINANCE")) && (
          <p className="mt-2 text-sm">
            <Link className="underline" href="/admin/licensing">
              Plans and every theater&apos;s licenses (admin)
            </Link>
          </p>
        )}
        {paidLicense && (
          <p
            role="status"
            className="mt-3 rounded-md border border-green-300 bg-green-50 p-3 text-sm text-green-900"
            data-testid="payment-received"
          >
            Payment received for the {paidLicense.plan.name} plan of {paidLicense.theater.name}.{" "}
            {paidLicense.state === "active"
              ? "The license is active: make its key below, then give the management client an API token."
              : "The license becomes active as soon as the payment provider confirms the payment, usually within seconds: reload this page."}
          </p>
        )}
      </div>
      <ForkNotice forks={forks} />
      {theaters.length === 0 && (
        <p className="card">You do not administer a theater. A theater&apos;s admin buys and manages its licenses.</p>
      )}
      {theaters.map((theater, i) => (
        <section key={theater.orgId} className="card space-y-6" data-testid={`theater-${theater.slug}`}>
          <h2 className="text-xl font-semibold">{theater.name}</h2>
          <div className="space-y-3">
            <h3 className="font-medium">Licenses</h3>
            {licenses.filter((l) => l.theater.id === theater.orgId).length === 0 && (
              <p className="text-sm text-stone-600">No license yet.</p>
            )}
            {licenses
              .filter((l) => l.theater.id === theater.orgId)
              .map((l) => (
                <div
                  key={l.id}
                  className="space-y-2 rounded-md border border-stone-200 p-4"
                  data-testid={`license-${l.id}`}
                  data-license-id={l.id}
                >
                  <div className="flex flex-wrap items-center gap-3">
                    <strong>{l.plan.name}</strong>
                    <code className="text-xs">{l.id}</code>
                    <OriginMark origin={originOfRecord(forks, l.createdAt)} />
                    <LicenseStateBadge state={l.state} />
                    {l.validUntil && (
                      <span className="text-sm text-stone-600">
                        {l.state === "expired" ? "ended" : "until"} {l.validUntil.toISOString().slice(0, 10)}
                      </span>
                    )}
                    {l.statusReason && <span className="text-sm text-stone-600">({l.statusReason})</span>}
                  </div>
                  <Entitlements entitlements={l.entitlements} />
                  {l.state !== "pending_payment" && (
                    <LogReceiptLine
                      receipt={receipts.get(`license:${l.id}`) ?? null}
                      what="This license"
                      testId="license-log-receipt"
                    />
                  )}
                  {l.currentCertificate && (
                    <LogReceiptLine
                      receipt={receipts.get(`certificate:${l.currentCertificate.id}`) ?? null}
                      what="Its certificate and license document"
                      testId="certificate-log-receipt"
                    />
                  )}
                  {l.currentCertificate && originOfRecord(forks, l.currentCertificate.createdAt) && (
                    <p className="text-sm text-stone-700">
                      Its certificate
                      <OriginMark origin={originOfRecord(forks, l.currentCertificate.createdAt)} /> was issued by the
                      origin&apos;s CA: hosts that trust this Guildhall&apos;s predecessors accept it until it expires;
                      renew here for one of this Guildhall&apos;s.
                    </p>
                  )}
                  <div className="flex flex-wrap gap-3">
                    {l.state === "pending_payment" && (
                      <CheckoutButton label="Pay now" licenseId={l.id} testId="pay-license" />
                    )}
                    {(l.state === "active" || l.state === "expired") && (
                      <CheckoutButton
                        label={`Renew for ${formatMoney(l.plan.priceMinor, l.plan.currency)}`}
                        licenseId={l.id}
                        testId="renew-license"
                      />
                    )}
                  </div>
                  {l.state === "active" && (
                    <CertificatePanel licenseId={l.id} hasCertificate={l.currentCertificate !== null} />
                  )}
                </div>
              ))}
          </div>
          <div className="space-y-3">
            <h3 className="font-medium">Buy a plan</h3>
            <table className="table">
              <tbody>
                {plans.map((p) => (
                  <tr key={p.id}>
                    <td className="font-medium">{p.name}</td>
                    <td>{p.termDays} days</td>
                    <td>
                      <Entitlements entitlements={p.entitlements as Record<string, number>} />
                    </td>
                    <td>{formatMoney(p.priceMinor, p.currency)}</td>
                    <td>
                      <CheckoutButton
                        label="Buy"
                        theaterOrgId={theater.orgId}
                        planId={p.id}
                        testId={`buy-plan-${p.name}`}
                      />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <div className="space-y-2">
            <h3 className="font-medium">API tokens for the management client</h3>
            <p className="text-sm text-stone-600">
              <code>guildhall-theater</code> uses a token to request and fetch certificates for this theater only. It
              acts as you and stops working if you stop being this theater&apos;s admin.
            </p>
            <ApiTokens
              orgId={theater.orgId}
              initial={tokens[i].map((t) => ({
                ...t,
                createdAt: t.createdAt.toISOString(),
                lastUsedAt: t.lastUsedAt?.toISOString() ?? null,
              }))}
            />
          </div>
        </section>
      ))}
    </div>
  );
}
