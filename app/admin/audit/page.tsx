import Link from "next/link";
import { listForkOrigins, originOfLogEntry } from "@/lib/portability/list-fork-origins";
import { ForkNotice, OriginMark } from "@/app/origin-mark";
import { FilterSelect } from "@/app/filter-select";
import { activeFilters, DateRangeFields, FilterButtons, PageLinks } from "@/app/list-filter";
import type { Metadata } from "next";
import { requirePageAccess } from "@/lib/auth/require-page-access";
import { listAuditEvents, auditFilterSchema } from "@/lib/audit/list-audit-events";
import { nameAuditParties } from "@/lib/orgs/name-audit-parties";
import { verifyAuditChainSinceCheckpoint } from "@/lib/audit/verify-audit-chain-since-checkpoint";

export const metadata: Metadata = { title: "Audit chain" };

const filterKeys = ["action", "actorId", "subjectType", "subjectId", "from", "to"] as const;

/** The kinds of subject the log records, in words, for the filter's choice. */
const subjectTypes: Record<string, string> = {
  user: "Person",
  organization: "Organization",
  invitation: "Invitation",
  oidc_client: "Application (OpenID client)",
  oidc_grant: "App permission",
  license: "License",
  license_plan: "License plan",
  order: "Order",
  payout_batch: "Payout batch",
  payout_item: "Payout transfer",
  split_policy: "Split policy",
  proposal: "Proposal",
  passkey: "Passkey",
  session: "Session",
  signing_key: "Signing key",
};

/** Search parameters as a filter; anything malformed is dropped rather than failing the page. */
function readFilter(sp: Record<string, string | string[] | undefined>) {
  const raw: Record<string, string> = {};
  for (const k of [...filterKeys, "before"] as const) {
    const v = sp[k];
    if (typeof v === "string" && v.trim()) raw[k] = v.trim();
  }
  const parsed = auditFilterSchema.safeParse(raw);
  return parsed.success ? parsed.data : auditFilterSchema.parse({});
}

/** An event's small summary as key: value lines; nested values stay JSON. */
function DataCell({ data }: { data: unknown }) {
  if (data === null || typeof data !== "object") return data === null ? null : <code>{JSON.stringify(data)}</code>;
  return (
    <dl className="space-y-0.5">
      {Object.entries(data).map(([k, v]) => (
        <div key={k} className="flex flex-wrap gap-1">
          <dt className="text-stone-500">{k}:</dt>
          <dd className="break-all font-mono">{typeof v === "string" ? v : JSON.stringify(v)}</dd>
        </div>
      ))}
    </dl>
  );
}

export default async function AuditPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  await requirePageAccess({ role: "ORG_ADMIN" }, "/admin/audit");
  const filter = readFilter(await searchParams);
  const [{ events, nextBefore }, verdict, forks] = await Promise.all([
    listAuditEvents(filter),
    verifyAuditChainSinceCheckpoint(),
    listForkOrigins(),
  ]);
  const names = await nameAuditParties(
    events.flatMap((e) => [
      { type: e.actorType, id: e.actorId },
      { type: e.subjectType, id: e.subjectId },
    ]),
  );
  const { active, filtered } = activeFilters(filter);
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold">Audit chain</h1>
      <ForkNotice forks={forks} />
      {verdict.ok ? (
        <p className="card border-green-300 text-green-900" data-testid="chain-status" data-ok="true">
          Chain verified: {verdict.count} events, each hash recomputed and linked to its predecessor. Head{" "}
          <code className="break-all text-xs">{verdict.headHash}</code>
          <span className="mt-1 block text-xs">
            Whole chain recomputed at {verdict.fullCheckAt.toISOString().slice(0, 19).replace("T", " ")} UTC (every 10
            minutes at most); the {verdict.eventsRead} events read on this load were checked now.{" "}
            <code>npm run cli -- audit verify</code> always recomputes everything.
          </span>
        </p>
      ) : (
        <p className="card border-red-300 text-red-800" data-testid="chain-status" data-ok="false">
          Chain BROKEN at event {verdict.seq} ({verdict.id}): {verdict.problem}. {verdict.count} events before it
          verify.
        </p>
      )}

      <form method="get" className="card grid gap-3 sm:grid-cols-3" data-testid="audit-filter">
        <div>
          <label className="label" htmlFor="f-action">
            Action starts with
          </label>
          <input className="input" id="f-action" name="action" defaultValue={filter.action} placeholder="role." />
        </div>
        <div>
          <label className="label" htmlFor="f-actor">
            Done by (id)
          </label>
          <input className="input" id="f-actor" name="actorId" defaultValue={filter.actorId} placeholder="usr_…" />
        </div>
        <FilterSelect
          id="f-subject-type"
          name="subjectType"
          label="Subject"
          value={filter.subjectType}
          choices={Object.entries(subjectTypes)}
        />
        <div>
          <label className="label" htmlFor="f-subject-id">
            Subject id
          </label>
          <input className="input" id="f-subject-id" name="subjectId" defaultValue={filter.subjectId} />
        </div>
        <DateRangeFields idPrefix="f" fromLabel="From (UTC)" toLabel="To (UTC)" from={filter.from} to={filter.to} />
        <FilterButtons listPath="/admin/audit" filtered={filtered} span="sm:col-span-3" />
      </form>

      <div className="card overflow-x-auto">
        <table className="table" data-testid="audit-events">
          <thead>
            <tr>
              <th>#</th>
              <th>Time (UTC)</th>
              <th>Action</th>
              <th>Actor</th>
              <th>Subject</th>
              <th>Data</th>
            </tr>
          </thead>
          <tbody>
            {events.map((e) => (
              <tr key={e.id} data-testid="audit-event">
                <td title={`hash ${e.hash}\nprev ${e.prevHash}`}>
                  <Link href={`/admin/audit/${e.seq}`} aria-label={`Event ${e.seq}: details`}>
                    {e.seq}
                  </Link>
                  {/* The event at seq N is the log's entry N − 1: entries below an origin's tree size came from it. */}
                  <OriginMark origin={originOfLogEntry(forks, Number(e.seq) - 1)} />
                </td>
                <td className="whitespace-nowrap text-xs">{e.occurredAt.slice(0, 19).replace("T", " ")}</td>
                <td>
                  <Link href={`/admin/audit?${new URLSearchParams({ action: e.action })}`}>{e.action}</Link>
                </td>
                <td className="text-xs break-all">
                  {e.actorId ? (
                    <Link
                      href={`/admin/audit?${new URLSearchParams({ actorId: e.actorId })}`}
                      title={`${e.actorType} ${e.actorId}`}
                    >
                      {names.get(`${e.actorType}:${e.actorId}`) ?? `${e.actorType} ${e.actorId}`}
                    </Link>
                  ) : (
                    e.actorType
                  )}
                </td>
                <td className="text-xs break-all">
                  <Link
                    href={`/admin/audit?${new URLSearchParams({ subjectType: e.subjectType, subjectId: e.subjectId })}`}
                    title={`${e.subjectType} ${e.subjectId}`}
                  >
                    {names.get(`${e.subjectType}:${e.subjectId}`) ??
                      `${subjectTypes[e.subjectType] ?? e.subjectType} ${e.subjectId}`}
                  </Link>
                </td>
                <td className="min-w-56 text-xs">
                  <DataCell data={e.data} />
                </td>
              </tr>
            ))}
            {events.length === 0 && (
              <tr>
                <td colSpan={6} className="text-stone-500">
                  No events match.
                </td>
              </tr>
            )}
          </tbody>
        </table>
        <PageLinks
          listPath="/admin/audit"
          active={active}
          paged={Boolean(filter.before)}
          nextBefore={nextBefore}
          olderTestId="older"
          className="mt-4 flex gap-2"
        />
      </div>
    </div>
  );
}
