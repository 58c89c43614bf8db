import { requirePageAccess } from "@/lib/auth/require-page-access";
import { hasRole } from "@/lib/access/user-access";
import { listLicensePlans } from "@/lib/licensing/list-license-plans";
import { listAllLicenses } from "@/lib/licensing/list-licenses";
import { formatMoney } from "@/lib/money/format-money";
import { LicenseStateBadge, Entitlements } from "@/app/licensing/license-bits";
import { PlanForm, StandingButtons } from "./admin-controls";

export const metadata = { title: "Licensing admin" };

export default async function LicensingAdminPage() {
  const { access } = await requirePageAccess({ anyRole: ["ORG_ADMIN", "FINANCE"] }, "/admin/licensing");
  const [plans, licenses] = await Promise.all([listLicensePlans({ includeArchived: true }), listAllLicenses()]);
  const orgAdmin = hasRole(access, "ORG_ADMIN");
  return (
    <div className="space-y-8">
      <h1 className="text-2xl font-semibold">Licensing</h1>
      <section className="card space-y-4">
        <h2 className="text-lg font-semibold">Plans</h2>
        <table className="table">
          <thead>
            <tr>
              <th>Name</th>
              <th>Term</th>
              <th>Price</th>
              <th>Entitlements</th>
              <th>Status</th>
            </tr>
          </thead>
          <tbody>
            {plans.map((p) => (
              <tr key={p.id} data-testid={`plan-${p.name}`}>
                <td>{p.name}</td>
                <td>{p.termDays} days</td>
                <td>{formatMoney(p.priceMinor, p.currency)}</td>
                <td>
                  <Entitlements entitlements={p.entitlements as Record<string, number>} />
                </td>
                <td>{p.archivedAt ? "archived" : "on offer"}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {orgAdmin && <PlanForm />}
      </section>
      <section className="card space-y-4">
        <h2 className="text-lg font-semibold">Licenses</h2>
        <p className="text-sm text-stone-600">
          Suspending puts the license&apos;s certificates on hold in the CRL (for example during a chargeback); revoking
          is final.
        </p>
        <table className="table">
          <thead>
            <tr>
              <th>License</th>
              <th>Theater</th>
              <th>Plan</th>
              <th>State</th>
              <th>Until</th>
              <th>Certificate</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {licenses.map((l) => (
              <tr key={l.id} data-testid={`admin-license-${l.id}`}>
                <td>
                  <code className="text-xs">{l.id}</code>
                </td>
                <td>{l.theater.name}</td>
                <td>{l.plan.name}</td>
                <td>
                  <LicenseStateBadge state={l.state} />
                  {l.statusReason && <div className="text-xs text-stone-500">{l.statusReason}</div>}
                </td>
                <td>{l.validUntil?.toISOString().slice(0, 10) ?? "—"}</td>
                <td>
                  {l.currentCertificate ? (
                    <code className="text-xs">
                      {l.currentCertificate.serialHex.slice(0, 12)}… {l.currentCertificate.status.toLowerCase()}
                    </code>
                  ) : (
                    "—"
                  )}
                </td>
                <td>
                  <StandingButtons licenseId={l.id} state={l.state} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </div>
  );
}
