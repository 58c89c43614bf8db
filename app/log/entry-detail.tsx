import Link from "next/link";
import { isAppError } from "@/lib/errors/app-error";
import { proveInclusion } from "@/lib/transparency/prove";
import { VerifyInBrowser } from "@/app/log/verify-in-browser";
import { listForkOrigins, originOfLogEntry } from "@/lib/portability/list-fork-origins";
import { OriginMark } from "@/app/origin-mark";

function pretty(body: string): string {
  try {
    return JSON.stringify(JSON.parse(body), null, 2);
  } catch {
    return body;
  }
}

/** One entry with its inclusion proof against the latest checkpoint, and the check in the browser. */
export async function EntryDetail({ index, verifierKey }: { index: number; verifierKey: string }) {
  let proof: Awaited<ReturnType<typeof proveInclusion>>;
  const forks = await listForkOrigins();
  try {
    proof = await proveInclusion(index);
  } catch (e) {
    if (isAppError(e) && e.code === "NOT_FOUND")
      return (
        <p role="status" className="text-sm" data-testid="entry-missing">
          Entry {index} is not in the log yet: {e.userMessage}
        </p>
      );
    throw e;
  }
  const subject = (JSON.parse(proof.entry) as { subject?: { id?: string } }).subject?.id;
  return (
    <div className="space-y-4" data-testid="entry-detail" data-index={index}>
      <h3 className="font-medium">
        Entry {index}
        <OriginMark origin={originOfLogEntry(forks, index)} />
      </h3>
      <pre className="overflow-x-auto rounded bg-stone-50 p-3 text-xs" data-testid="entry-body">
        {pretty(proof.entry)}
      </pre>
      {subject && (
        <p className="text-sm">
          <Link className="underline" href={`/log?q=${encodeURIComponent(subject)}`}>
            Every entry about {subject}
          </Link>
        </p>
      )}
      <details>
        <summary className="cursor-pointer text-sm">
          Its inclusion proof: {proof.proof.length} hashes up to the checkpoint of {proof.treeSize} entries
        </summary>
        <ol className="mt-2 list-inside list-decimal space-y-1 text-xs">
          {proof.proof.map((h, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: a proof's hashes are positional and may repeat.
            <li key={i} className="break-all">
              <code>{h}</code>
            </li>
          ))}
        </ol>
        <p className="mt-2 text-sm">
          <a className="underline" href={`/api/log/proof?index=${index}&treeSize=${proof.treeSize}`}>
            The proof as JSON
          </a>{" "}
          (offline: <code>log-verify inclusion --key VKEY --proof FILE</code>).
        </p>
      </details>
      <VerifyInBrowser
        entry={proof.entry}
        index={index}
        proof={proof.proof}
        checkpoint={proof.checkpoint}
        verifierKey={verifierKey}
      />
    </div>
  );
}
