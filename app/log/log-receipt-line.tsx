import Link from "next/link";
import { formatTime } from "@/app/format-time";
import type { Cosigner } from "@/lib/transparency/checkpoint-cosigners";
import type { LogReceipt } from "@/lib/transparency/find-log-receipt";

export function WitnessWords({ cosigners }: { cosigners: Cosigner[] }) {
  if (cosigners.length === 0) return <>not witnessed: no host has cosigned it yet</>;
  return <>witnessed by {cosigners.length === 1 ? "1 host" : `${cosigners.length} hosts`}</>;
}

/**
 * One line under something Guildhall handed out: where the public log records
 * it. "Logged as entry N, checkpoint of <time>, witnessed by k hosts", or that
 * it awaits the integrator's next round, or that the log has no record of it.
 */
export function LogReceiptLine({
  receipt,
  what,
  testId = "log-receipt",
}: {
  receipt: LogReceipt | null;
  /** What the line is about, as a sentence starts: "The license", "Your ballot". */
  what: string;
  testId?: string;
}) {
  if (!receipt)
    return (
      <p className="text-sm text-stone-600" data-testid={testId} data-status="not-logged">
        {what}: the public log has no record of it.
      </p>
    );
  const link = (
    <Link className="underline" href={`/log?entry=${receipt.index}`}>
      entry {receipt.index}
    </Link>
  );
  if (receipt.status === "awaiting_integration")
    return (
      <p className="text-sm text-stone-700" data-testid={testId} data-status="awaiting" data-index={receipt.index}>
        {what}: will be {link} of the public log, awaiting integration (within a second; reload to see its proof).
      </p>
    );
  return (
    <p className="text-sm text-stone-700" data-testid={testId} data-status="integrated" data-index={receipt.index}>
      {what}: logged as {link} of the public log, checkpoint of {formatTime(receipt.checkpointAt)},{" "}
      <WitnessWords cosigners={receipt.witnesses} />.{" "}
      <a
        className="underline"
        href={`/api/log/receipt?kind=${receipt.thing.kind}&id=${encodeURIComponent(receipt.thing.id)}`}
        download={`${receipt.thing.id}.log-receipt.json`}
      >
        Download its inclusion proof
      </a>
    </p>
  );
}
