"use client";
import { ConfirmWithReason } from "@/app/confirm-with-reason";
import { deleteAccountAction } from "@/app/account/delete/actions";

/** The confirmation of an act that cannot be undone: what happens, a typed reason, a second click. */
export function DeleteAccountButton() {
  return (
    <ConfirmWithReason
      triggerLabel="Delete my account"
      title="Delete your account?"
      consequence={
        <p>
          Your name, email address, passkeys, sessions and consents are erased now and cannot be brought back. You are
          signed out everywhere, and apps that used your account lose access. Money records and your ballots are kept,
          under an id that no longer leads to you.
        </p>
      }
      confirmLabel="Delete my account for good"
      reasonLabel="Why are you leaving? (kept privately; the public log holds only a commitment to it)"
      action={deleteAccountAction}
      testId="delete-account"
      onDone={() => window.location.assign("/")}
    />
  );
}
