import Link from "next/link";
import { listVoterBallots } from "@/lib/governance/list-voter-ballots";
import { findLogReceipts } from "@/lib/transparency/find-log-receipt";
import { formatTime } from "@/app/format-time";
import { LogReceiptLine } from "@/app/log/log-receipt-line";

const signed = (n: number) => (n > 0 ? "+1" : n < 0 ? "-1" : "0");

/** The signed-in person's latest ballots, each with where the public log records it: their ballot receipts. */
export async function BallotReceipts({ userId }: { userId: string }) {
  const ballots = await listVoterBallots(userId, 5);
  if (ballots.length === 0) return null;
  const receipts = await findLogReceipts(ballots.map((b) => ({ kind: "ballot" as const, id: b.id })));
  return (
    <section className="card space-y-3" aria-labelledby="ballot-receipts-heading">
      <h2 id="ballot-receipts-heading" className="text-lg font-semibold">
        Your ballots in the public log
      </h2>
      <ul className="space-y-3">
        {ballots.map((b) => (
          <li key={b.id} className="space-y-1">
            <p className="text-sm">
              <Link className="underline" href={`/governance/${b.proposal.id}`}>
                {b.proposal.title}
              </Link>
              : {signed(b.choice)}, cast {formatTime(b.castAt)}
            </p>
            <LogReceiptLine receipt={receipts.get(`ballot:${b.id}`) ?? null} what="This ballot" />
          </li>
        ))}
      </ul>
    </section>
  );
}
