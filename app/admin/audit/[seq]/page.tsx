import Link from "next/link";
import { notFound } from "next/navigation";
import type { Metadata } from "next";
import { requirePageAccess } from "@/lib/auth/require-page-access";
import { getAuditEvent } from "@/lib/audit/list-audit-events";
import { nameAuditParties } from "@/lib/orgs/name-audit-parties";
import { listForkOrigins, originOfLogEntry } from "@/lib/portability/list-fork-origins";
import { ForkNotice, OriginMark } from "@/app/origin-mark";

export const metadata: Metadata = { title: "Audit event" };

/** One audit event in full: who did what to what, its data, and the hashes that chain it. */
export default async function AuditEventPage({ params }: { params: Promise<{ seq: string }> }) {
  await requirePageAccess({ role: "ORG_ADMIN" }, "/admin/audit");
  const { seq } = await params;
  if (!/^[1-9][0-9]{0,17}$/.test(seq)) notFound();
  const [e, forks] = await Promise.all([getAuditEvent(BigInt(seq)), listForkOrigins()]);
  if (!e) notFound();
  const names = await nameAuditParties([
    { type: e.actorType, id: e.actorId },
    { type: e.subjectType, id: e.subjectId },
  ]);
  const filter = (q: Record<string, string>) => `/admin/audit?${new URLSearchParams(q)}`;
  return (
    <div className="space-y-6">
      <Link href="/admin/audit" className="text-sm">
        ← Audit chain
      </Link>
      <h1 className="text-2xl font-semibold">
        Event {e.seq}: <code className="text-xl">{e.action}</code>
        {/* An event's log entry is at seq - 1: below an origin's tree size, the origin recorded it. */}
        <OriginMark origin={originOfLogEntry(forks, Number(e.seq) - 1)} />
      </h1>
      <ForkNotice forks={forks} />
      <dl className="card grid gap-x-6 gap-y-2 text-sm sm:grid-cols-[10rem_1fr]" data-testid="audit-event-detail">
        <dt className="text-stone-500">When (UTC)</dt>
        <dd>{e.occurredAt.replace("T", " ").slice(0, 23)}</dd>
        <dt className="text-stone-500">Done by</dt>
        <dd>
          {e.actorId ? (
            <Link href={filter({ actorId: e.actorId })}>{names.get(`${e.actorType}:${e.actorId}`) ?? e.actorId}</Link>
          ) : (
            e.actorType
          )}{" "}
          <span className="text-xs text-stone-500">
            ({e.actorType}
            {e.actorId ? ` ${e.actorId}` : ""})
          </span>
        </dd>
        <dt className="text-stone-500">Subject</dt>
        <dd>
          <Link href={filter({ subjectType: e.subjectType, subjectId: e.subjectId })}>
            {names.get(`${e.subjectType}:${e.subjectId}`) ?? e.subjectId}
          </Link>{" "}
          <span className="text-xs text-stone-500">
            ({e.subjectType} {e.subjectId})
          </span>
        </dd>
        <dt className="text-stone-500">Request</dt>
        <dd className="font-mono text-xs">{e.requestId ?? "—"}</dd>
        <dt className="text-stone-500">State digest</dt>
        <dd className="break-all font-mono text-xs">{e.stateDigest ?? "—"}</dd>
        <dt className="text-stone-500">Hash</dt>
        <dd className="break-all font-mono text-xs">{e.hash}</dd>
        <dt className="text-stone-500">Previous hash</dt>
        <dd className="break-all font-mono text-xs">
          {BigInt(e.seq) > 1n ? <Link href={`/admin/audit/${BigInt(e.seq) - 1n}`}>{e.prevHash}</Link> : e.prevHash}
        </dd>
      </dl>
      <section className="card">
        <h2 className="mb-2 font-semibold">Data</h2>
        <pre className="text-xs">{JSON.stringify(e.data, null, 2)}</pre>
      </section>
    </div>
  );
}
