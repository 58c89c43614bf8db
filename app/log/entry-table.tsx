import Link from "next/link";
import { type ForkOriginSummary, originOfLogEntry } from "@/lib/portability/list-fork-origins";
import { formatTime } from "@/app/format-time";
import { OriginMark } from "@/app/origin-mark";

type Row = { index: number; entry: string };

/** What a row shows of an entry: its type, subject and time. The entry itself holds no personal data in clear. */
function summary(body: string) {
  try {
    const e = JSON.parse(body) as { action?: string; at?: string; subject?: { type?: string; id?: string } };
    return { action: e.action ?? "?", at: e.at ?? null, subject: `${e.subject?.type ?? "?"} ${e.subject?.id ?? ""}` };
  } catch {
    return { action: "unreadable", at: null, subject: "" };
  }
}

/**
 * Entries, one a row, linked to their proofs. On a fork (`forks`: listForkOrigins), an entry below an origin's
 * tree size is marked as that origin's: the fork's log begins with the entries it imported.
 */
export function EntryTable({
  rows,
  caption,
  forks,
}: {
  rows: Row[];
  caption: string;
  forks: readonly ForkOriginSummary[];
}) {
  if (rows.length === 0) return <p className="text-sm text-stone-600">No entries.</p>;
  return (
    <div className="overflow-x-auto">
      <table className="table" data-testid="log-entries">
        <caption className="sr-only">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Entry</th>
            <th scope="col">Type</th>
            <th scope="col">About</th>
            <th scope="col">When</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => {
            const s = summary(r.entry);
            return (
              <tr key={r.index}>
                <td>
                  <Link className="underline" href={`/log?entry=${r.index}`}>
                    {r.index}
                  </Link>
                  <OriginMark origin={originOfLogEntry(forks, r.index)} />
                </td>
                <td>
                  <code className="text-xs">{s.action}</code>
                </td>
                <td className="break-all">
                  <code className="text-xs">{s.subject}</code>
                </td>
                <td className="whitespace-nowrap">{formatTime(s.at, "—")}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
