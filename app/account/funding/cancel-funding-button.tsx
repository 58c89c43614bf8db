"use client";
import { ConfirmWithReason } from "@/app/confirm-with-reason";
import { cancelFundingAction } from "@/app/funding/actions";

/** The funder stops a monthly funding, after saying what happens and why. */
export function CancelFundingButton(props: { fundingId: string; paidThrough: string | null; target: string }) {
  return (
    <ConfirmWithReason
      triggerLabel="Stop funding"
      title={`Stop funding ${props.target}?`}
      consequence={
        <p>
          No further monthly payments will be taken.
          {props.paidThrough
            ? ` What you paid stays with the hosts; your funding runs to ${props.paidThrough}, the end of the period already paid.`
            : " What you paid stays with the hosts."}
        </p>
      }
      confirmLabel="Stop my funding"
      reasonLabel="Why are you stopping? (kept privately; the public log holds only a commitment to it)"
      action={cancelFundingAction}
      fields={{ fundingId: props.fundingId }}
      testId={`cancel-funding-${props.fundingId}`}
    />
  );
}
