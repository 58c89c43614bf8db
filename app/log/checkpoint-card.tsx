import { formatTime } from "@/app/format-time";
import type { Cosigner } from "@/lib/transparency/checkpoint-cosigners";

type Props = {
  checkpoint: {
    size: number;
    rootHash: string;
    note: string;
    createdAt: Date;
    /** Whether the quorum of the admitted hosts' witnesses cosigned it, and how many that is of how many. */
    witnessed: boolean;
    required: number;
    witnesses: number;
  } | null;
  origin: string;
  verifierKey: string;
  cosigners: Cosigner[];
};

/** The latest signed checkpoint: what every proof on this page is checked against. */
export function CheckpointCard({ checkpoint, origin, verifierKey, cosigners }: Props) {
  return (
    <section className="card space-y-3" aria-labelledby="checkpoint-heading" data-testid="latest-checkpoint">
      <h2 id="checkpoint-heading" className="text-lg font-semibold">
        Latest checkpoint
      </h2>
      {!checkpoint ? (
        <p className="text-sm text-stone-600">The log has signed no checkpoint yet: nothing has been integrated.</p>
      ) : (
        <>
          <dl className="grid grid-cols-1 gap-x-4 gap-y-1 text-sm sm:grid-cols-[auto_1fr]">
            <dt className="font-medium">Entries</dt>
            <dd data-testid="checkpoint-size">{checkpoint.size}</dd>
            <dt className="font-medium">Root hash</dt>
            <dd className="break-all">
              <code>{checkpoint.rootHash}</code>
            </dd>
            <dt className="font-medium">Signed</dt>
            <dd>{formatTime(checkpoint.createdAt)}</dd>
            <dt className="font-medium">Witnesses</dt>
            <dd data-testid="checkpoint-witnesses">
              {checkpoint.witnessed ? "Witnessed" : "Not witnessed"}: {cosigners.length} of the {checkpoint.witnesses}{" "}
              admitted hosts&apos; witnesses cosigned it
              {checkpoint.required > 0 ? ` (${checkpoint.required} required)` : " (no witness counts yet)"}.
              {cosigners.length > 0 && (
                <ul className="mt-1 list-inside list-disc">
                  {cosigners.map((c) => (
                    <li key={c.name}>
                      {c.name}, {formatTime(new Date(c.time * 1000))}
                    </li>
                  ))}
                </ul>
              )}
            </dd>
          </dl>
          <details>
            <summary className="cursor-pointer text-sm">The signed checkpoint, as served</summary>
            <pre className="mt-2 overflow-x-auto rounded bg-stone-50 p-3 text-xs">{checkpoint.note}</pre>
          </details>
        </>
      )}
      <p className="text-sm text-stone-700">
        Log <code>{origin}</code>, signed with the key{" "}
        <code className="break-all" data-testid="log-verifier-key">
          {verifierKey}
        </code>{" "}
        (
        <a className="underline" href="/log/key">
          /log/key
        </a>
        ). Keep it: a proof is only as good as the key you check it with.
      </p>
    </section>
  );
}
