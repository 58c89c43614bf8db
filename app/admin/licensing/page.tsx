import { requirePageAccess } from "@/lib/auth/require-page-access";
import { hasRole } from "@/lib/access/user-access";
import { listLicensePlans } from "@/lib/licensing/list-license-plans";
import { licenseFilterSchema, licenseStates, listLicensesPage } from "@/lib/licensing/list-licenses";
import { listTheaters } from "@/lib/orgs/list-theaters";
import { FilterSelect } from "@/app/filter-select";
import {
  activeFilters,
  DateRangeFields,
  FilterButtons,
  IgnoredFilters,
  PageLinks,
  readListFilter,
} from "@/app/list-filter";
import { formatMoney } from "@/lib/money/format-money";
import { LicenseStateBadge, Entitlements } from "@/app/licensing/license-bits";
import { PlanForm, StandingButtons } from "./admin-controls";
import { listForkOrigins, originOfRecord } from "@/lib/portability/list-fork-origins";
import { ForkNotice, OriginMark } from "@/app/origin-mark";

export const metadata = { title: "Licensing admin" };

const stateWords: Record<(typeof licenseStates)[number], string> = {
  active: "Active",
  expired: "Expired",
  pending_payment: "Awaiting payment",
  suspended: "Suspended",
  revoked: "Revoked",
};

/** The filters' names in words, for saying which one was not understood. */
const filterWords: Record<string, string> = {
  state: "State",
  theaterOrgId: "Theater",
  from: "Made from (a date as YYYY-MM-DD)",
  to: "Made until (a date as YYYY-MM-DD)",
  before: "the page to start after",
};

/** Plans, and every license newest first, filtered by state, theater and the day it was made; 50 a page. */
export default async function LicensingAdminPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { access } = await requirePageAccess({ anyRole: ["ORG_ADMIN", "FINANCE"] }, "/admin/licensing");
  const { filter, ignored } = readListFilter(licenseFilterSchema, await searchParams);
  const [plans, { licenses, nextBefore }, theaters, forks] = await Promise.all([
    listLicensePlans({ includeArchived: true }),
    listLicensesPage(filter as Parameters<typeof listLicensesPage>[0]),
    listTheaters(),
    listForkOrigins(),
  ]);
  const { active, filtered } = activeFilters(filter);
  const { before } = filter;
  const orgAdmin = hasRole(access, "ORG_ADMIN");
  return (
    <div className="space-y-8">
      <h1 className="text-2xl font-semibold">Licensing</h1>
      <ForkNotice forks={forks} />
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
        <form method="get" className="grid gap-3 sm:grid-cols-4" data-testid="license-filter">
          <FilterSelect
            id="l-state"
            name="state"
            label="State"
            value={filter.state}
            choices={licenseStates.map((st) => [st, stateWords[st]] as const)}
          />
          <FilterSelect
            id="l-theater"
            name="theaterOrgId"
            label="Theater"
            value={filter.theaterOrgId}
            choices={theaters.map((t) => [t.id, t.name] as const)}
          />
          <DateRangeFields
            idPrefix="l"
            fromLabel="Made from (UTC)"
            toLabel="Made until (UTC)"
            from={filter.from}
            to={filter.to}
          />
          <FilterButtons listPath="/admin/licensing" filtered={filtered} span="sm:col-span-4" />
        </form>
        <IgnoredFilters ignored={ignored} words={filterWords} />
        {licenses.length === 0 ? (
          <p className="text-sm text-stone-600" data-testid="no-licenses">
            {before ? "No older licenses." : filtered ? "No license matches these filters." : "No license yet."}
          </p>
        ) : (
          <table className="table" data-testid="licenses">
            <thead>
              <tr>
                <th>License</th>
                <th>Theater</th>
                <th>Plan</th>
                <th>State</th>
                <th>From (UTC)</th>
                <th>Until (UTC)</th>
                <th>Certificate</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {licenses.map((l) => (
                <tr key={l.id} data-testid={`admin-license-${l.id}`}>
                  <td>
                    <code className="text-xs">{l.id}</code>
                    <OriginMark origin={originOfRecord(forks, l.createdAt)} />
                  </td>
                  <td>{l.theater.name}</td>
                  <td>{l.plan.name}</td>
                  <td>
                    <LicenseStateBadge state={l.state} />
                    {l.statusReason && <div className="text-xs text-stone-500">{l.statusReason}</div>}
                  </td>
                  <td>{l.validFrom?.toISOString().slice(0, 10) ?? "—"}</td>
                  <td>{l.validUntil?.toISOString().slice(0, 10) ?? "—"}</td>
                  <td>
                    {l.currentCertificate ? (
                      <>
                        <code className="text-xs">
                          {l.currentCertificate.serialHex.slice(0, 12)}… {l.currentCertificate.status.toLowerCase()}
                        </code>
                        <OriginMark origin={originOfRecord(forks, l.currentCertificate.createdAt)} />
                      </>
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
        )}
        <PageLinks
          listPath="/admin/licensing"
          active={active}
          paged={Boolean(before)}
          nextBefore={nextBefore}
          olderTestId="older-licenses"
        />
      </section>
    </div>
  );
}
