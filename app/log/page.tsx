import Link from "next/link";
import type { Metadata } from "next";
import { z } from "zod";
import { getLogSigner } from "@/lib/transparency/log-signer";
import { getPublishedCheckpoint } from "@/lib/transparency/witnesses/published-checkpoint";
import { findLogEntries } from "@/lib/transparency/find-log-entries";
import { findLogReceiptIfAny } from "@/lib/transparency/find-log-receipt";
import { countLogEntriesByType } from "@/lib/transparency/count-log-entries-by-type";
import { resolveLogQuery } from "@/lib/transparency/resolve-log-query";
import { CheckpointCard } from "@/app/log/checkpoint-card";
import { EntryTable } from "@/app/log/entry-table";
import { EntryDetail } from "@/app/log/entry-detail";
import { listForkOriginCheckpoints, listForkOrigins } from "@/lib/portability/list-fork-origins";

export const metadata: Metadata = { title: "Public log" };

const PAGE_SIZE = 25;
const searchSchema = z.object({
  q: z.string().max(200).optional(),
  entry: z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
  type: z
    .string()
    .regex(/^[a-z_]+\.[a-z_]+$/)
    .max(100)
    .optional(),
  before: z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
});

type Search = Record<string, string | string[] | undefined>;
const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

/**
 * The public transparency log, for anyone: the latest signed checkpoint and its
 * witnesses, a look-up by entry number or by what an entry is about (a license,
 * a proposal, a payout batch, a ballot...), each entry with its inclusion proof
 * checked in the browser, and the recent entries by type. Entries carry
 * commitments, never personal data in clear (docs/LOG.md).
 */
export default async function LogPage({ searchParams }: { searchParams: Promise<Search> }) {
  const raw = await searchParams;
  const parsed = searchSchema.safeParse(Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, first(v)])));
  const search = parsed.success ? parsed.data : {};
  // The checkpoint /log/checkpoint serves: the newest one, with its witnesses' cosignatures (docs/LOG.md).
  const [checkpoint, signer, forks, forkCheckpoints] = await Promise.all([
    getPublishedCheckpoint(),
    getLogSigner(),
    listForkOrigins(),
    listForkOriginCheckpoints(),
  ]);
  const treeSize = checkpoint?.size ?? 0;

  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold">Public log</h1>
        <p className="mt-1 max-w-2xl text-sm text-stone-600">
          Everything Guildhall does (licenses, certificates, votes, payouts, keys, clients) is an entry of this
          append-only log. Guildhall signs its checkpoints and the hosts&apos; witnesses cosign them, so it cannot
          rewrite or fork its past unseen. Any entry can be proven to be in it, here in your browser or offline with{" "}
          <code>tools/log-verify</code>. Personal data never appears in it, only salted commitments.
        </p>
      </div>
      {!parsed.success && (
        <p role="alert" className="text-sm text-red-700">
          That look-up is not one this page understands; showing the latest entries instead.
        </p>
      )}
      {forks.length > 0 && (
        <section id="fork-origins" aria-label="What this fork holds of its origin" className="space-y-2">
          {forks.map((fork) => (
            <p key={fork.issuer + fork.treeSize} className="card text-sm" data-testid="fork-origin">
              This Guildhall is a fork of <strong>{fork.issuer}</strong>, imported on{" "}
              {fork.importedAt.toISOString().slice(0, 10)}: entries 0 to {fork.treeSize - 1} and the records they
              describe came from it (its log <code>{fork.logOrigin}</code> signed that tree, root{" "}
              <code className="break-all">{fork.rootHash}</code>); the entry <code>org.forked</code> after them opens
              this fork&apos;s own history. Elsewhere on this Guildhall, records that came from it are marked{" "}
              <q>from {fork.host}</q>.
            </p>
          ))}
          {forkCheckpoints.map((f) => (
            <details key={f.issuer + f.treeSize} className="card text-sm" data-testid="fork-origin-checkpoint">
              <summary className="cursor-pointer">
                Check that this log continues the one of {f.issuer} (its signed checkpoint and key)
              </summary>
              <p className="mt-2">
                The origin&apos;s checkpoint the fork started from, signed by the origin&apos;s log key{" "}
                <code className="break-all">{f.logVerifierKey}</code>; compare both with copies kept from the origin:
              </p>
              <pre className="mt-2 overflow-x-auto rounded bg-stone-50 p-3 text-xs">{f.checkpoint}</pre>
              <p className="mt-2">
                Offline:{" "}
                <code>
                  log-verify fork --log {"<this log's URL>"} --key VKEY --origin-key OKEY --origin-checkpoint FILE
                </code>{" "}
                checks that this log keeps every entry of that checkpoint unchanged and opens with the{" "}
                <code>org.forked</code> entry naming it.
              </p>
            </details>
          ))}
        </section>
      )}
      <CheckpointCard
        checkpoint={
          checkpoint && {
            size: checkpoint.size,
            rootHash: checkpoint.rootHash.toString("base64"),
            note: checkpoint.cosignedNote,
            createdAt: checkpoint.createdAt,
            witnessed: checkpoint.witnessed,
            required: checkpoint.required,
            witnesses: checkpoint.witnesses,
          }
        }
        origin={signer.name}
        verifierKey={signer.verifierKey}
        cosigners={checkpoint?.cosigners ?? []}
      />
      <section className="card space-y-4" aria-labelledby="lookup-heading">
        <h2 id="lookup-heading" className="text-lg font-semibold">
          Look up an entry
        </h2>
        <form method="get" action="/log" className="flex flex-wrap items-end gap-2">
          <div className="min-w-0 flex-1">
            <label className="label" htmlFor="log-q">
              Entry number, or a license, proposal, ballot, payout batch or certificate id
            </label>
            <input
              id="log-q"
              name="q"
              className="input"
              defaultValue={search.q ?? (search.entry !== undefined ? String(search.entry) : "")}
              placeholder="1234 or lic_…"
              autoComplete="off"
              data-testid="log-lookup"
            />
          </div>
          <button type="submit" className="btn">
            Look up
          </button>
        </form>
        <LookUp search={search} verifierKey={signer.verifierKey} forks={forks} />
      </section>
      <RecentEntries search={search} treeSize={treeSize} forks={forks} />
    </div>
  );
}

type Forks = Awaited<ReturnType<typeof listForkOrigins>>;

async function LookUp({
  search,
  verifierKey,
  forks,
}: {
  search: z.infer<typeof searchSchema>;
  verifierKey: string;
  forks: Forks;
}) {
  if (search.entry !== undefined) return <EntryDetail index={search.entry} verifierKey={verifierKey} />;
  if (!search.q?.trim()) return null;
  const query = resolveLogQuery(search.q);
  if (query.kind === "entry") return <EntryDetail index={query.index} verifierKey={verifierKey} />;
  if (query.kind === "unknown")
    return (
      <p role="status" className="text-sm">
        &ldquo;{query.text}&rdquo; is neither an entry number nor an id this log files entries under.
      </p>
    );
  if (query.kind === "thing") {
    const receipt = await findLogReceiptIfAny({ kind: query.thing, id: query.id });
    if (!receipt)
      return (
        <p role="status" className="text-sm">
          The log has no entry recording {query.id}.
        </p>
      );
    return <EntryDetail index={receipt.index} verifierKey={verifierKey} />;
  }
  const found = await findLogEntries({ subjectType: query.subjectType, subjectId: query.subjectId, limit: 100 });
  return (
    <div className="space-y-2">
      <h3 className="font-medium">
        Entries about {query.subjectType} <code className="break-all">{query.subjectId}</code>
      </h3>
      <EntryTable rows={found.entries} caption={`Entries about ${query.subjectId}, newest first`} forks={forks} />
    </div>
  );
}

async function RecentEntries({
  search,
  treeSize,
  forks,
}: {
  search: z.infer<typeof searchSchema>;
  treeSize: number;
  forks: Forks;
}) {
  const [types, recent] = await Promise.all([
    countLogEntriesByType(treeSize),
    findLogEntries({ action: search.type, before: search.before, limit: PAGE_SIZE }),
  ]);
  const more = (before: number) =>
    `/log?${new URLSearchParams({ ...(search.type ? { type: search.type } : {}), before: String(before) })}`;
  return (
    <section className="card space-y-4" aria-labelledby="recent-heading">
      <h2 id="recent-heading" className="text-lg font-semibold">
        Recent entries{search.type ? ` of type ${search.type}` : ""}
      </h2>
      <form method="get" action="/log" className="flex flex-wrap items-end gap-2">
        <div>
          <label className="label" htmlFor="log-type">
            Type
          </label>
          <select id="log-type" name="type" className="input w-auto" defaultValue={search.type ?? ""}>
            <option value="">All types</option>
            {types.map((t) => (
              <option key={t.action} value={t.action}>
                {t.action} ({t.count})
              </option>
            ))}
          </select>
        </div>
        <button type="submit" className="btn-secondary">
          Show
        </button>
      </form>
      <EntryTable rows={recent.entries} caption="Recent entries, newest first" forks={forks} />
      {recent.nextBefore !== null && (
        <p className="text-sm">
          <Link className="underline" href={more(recent.nextBefore)}>
            Older entries
          </Link>
        </p>
      )}
    </section>
  );
}
