import type { Metadata } from "next";
import { requirePageAccess } from "@/lib/auth/require-page-access";
import { listOwnFundings } from "@/lib/funding/list-own-fundings";
import { formatMoney } from "@/lib/money/format-money";
import { CancelFundingButton } from "@/app/account/funding/cancel-funding-button";
import { ActionForm } from "@/app/action-form";
import { setFundingPublicNameAction } from "@/app/funding/actions";
import { channelLabel, isStoreChannel } from "@/lib/payment-provider/payment-channels";
import { listForkOrigins, originOfRecord } from "@/lib/portability/list-fork-origins";
import { ForkNotice, OriginMark } from "@/app/origin-mark";

export const metadata: Metadata = { title: "Your funding" };

const statusWords: Record<string, string> = {
  pending: "waiting for the first payment",
  active: "renewing monthly",
  past_due: "the last payment failed; the provider is retrying",
  canceling: "stopped: ends at the paid period's end",
  paused: "paused in the store",
  canceled: "ended",
  paid: "paid once",
};

/** A funder's own fundings: what each funds, its state, what was paid, and a way to stop a monthly one. */
export default async function OwnFundingPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { session } = await requirePageAccess("signed-in", "/account/funding");
  const started = (await searchParams).started;
  const [fundings, forks] = await Promise.all([listOwnFundings(session.userId), listForkOrigins()]);
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold">Your funding</h1>
      <ForkNotice forks={forks} />
      {fundings.some((f) => originOfRecord(forks, f.createdAt)) && (
        <p className="text-sm text-stone-600">
          A funding marked so was started at the origin and paid through its payment provider: a monthly one keeps
          renewing there, and those renewals are not recorded here.
        </p>
      )}
      {typeof started === "string" && fundings.some((f) => f.id === started && f.status === "pending") && (
        <p role="status" className="text-sm">
          Thank you. Your payment is being confirmed by the payment provider; this page shows it once it has come
          through.
        </p>
      )}
      {fundings.length === 0 ? (
        <p className="text-sm">
          You fund nothing yet. Each release line's funding page is linked from the releases page.
        </p>
      ) : (
        <table className="table" data-testid="own-fundings">
          <thead>
            <tr>
              <th>For</th>
              <th className="text-right">Amount</th>
              <th>State</th>
              <th>Paid through</th>
              <th className="text-right">Paid in all</th>
              <th>Shown as</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {fundings.map((f) => {
              const target = f.target.kind === "release_line" ? `the ${f.target.name} line` : f.target.name;
              const paidThrough = f.paidThrough?.toISOString().slice(0, 10) ?? null;
              return (
                <tr key={f.id}>
                  <td>
                    {target}
                    <OriginMark origin={originOfRecord(forks, f.createdAt)} />
                  </td>
                  <td className="text-right font-mono">
                    {formatMoney(f.amountMinor, f.currency)}
                    {f.interval === "month" ? " a month" : ""}
                  </td>
                  <td>{statusWords[f.status] ?? f.status}</td>
                  <td>{paidThrough ?? "—"}</td>
                  <td className="text-right font-mono">{formatMoney(f.paidMinor, f.currency)}</td>
                  <td>
                    <ActionForm
                      action={setFundingPublicNameAction}
                      submitLabel="Save"
                      variant="secondary"
                      className="flex flex-wrap items-end gap-2"
                      testId={`funding-name-${f.id}`}
                    >
                      <input type="hidden" name="fundingId" value={f.id} />
                      <label className="text-xs">
                        Name on the line's page (empty: Anonymous)
                        <input
                          name="publicName"
                          className="input"
                          maxLength={80}
                          defaultValue={f.publicName ?? ""}
                          placeholder="Anonymous"
                        />
                      </label>
                    </ActionForm>
                  </td>
                  <td>
                    {isStoreChannel(f.channel) ? (
                      <span className="text-sm text-stone-600">
                        Paid in {channelLabel(f.channel)}: manage or stop it in the store's subscriptions
                      </span>
                    ) : (
                      f.interval === "month" &&
                      (f.status === "active" || f.status === "past_due") && (
                        <CancelFundingButton fundingId={f.id} paidThrough={paidThrough} target={target} />
                      )
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </div>
  );
}
