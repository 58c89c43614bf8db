"use client";
import { useState } from "react";
import { useRouter } from "next/navigation";
import { callApi, describeFailure } from "@/app/call-api";
import { Button } from "@/app/button";
import { announce } from "@/app/notice";
import { formText } from "@/app/form-text";

/** Shown until the address is confirmed with the code mailed at sign-up. */
export function EmailVerification({ email }: { email: string }) {
  const router = useRouter();
  const [status, setStatus] = useState<{ ok: boolean; text: string } | null>(null);
  const [busy, setBusy] = useState(false);

  async function act(action: () => Promise<string>) {
    setBusy(true);
    try {
      setStatus({ ok: true, text: await action() });
    } catch (err) {
      setStatus({ ok: false, text: describeFailure(err) });
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="card space-y-3 border-amber-300 bg-amber-50" data-testid="email-verification">
      <h2 className="text-lg font-semibold">Confirm your email address</h2>
      <p className="text-sm text-stone-700">
        We emailed a 6-digit code to <strong>{email}</strong>. Confirming it lets you recover the account by email if
        you lose your passkeys.
      </p>
      <form
        className="flex max-w-md flex-wrap items-end gap-2"
        onSubmit={(e) => {
          e.preventDefault();
          const code = formText(e.currentTarget, "code");
          void act(async () => {
            await callApi("POST", "/api/account/email-verification", { code });
            // This box goes away with the refresh, so the result is said in the page's notice, which stays.
            announce(`Email address ${email} confirmed.`);
            router.refresh();
            return "Address confirmed.";
          });
        }}
      >
        <div className="min-w-40 flex-1">
          <label className="label" htmlFor="email-confirmation-code">
            Confirmation code (6 digits)
          </label>
          <input
            id="email-confirmation-code"
            className="input"
            inputMode="numeric"
            autoComplete="one-time-code"
            maxLength={6}
            required
            name="code"
          />
        </div>
        <Button type="submit" className="btn" disabled={busy}>
          Confirm
        </Button>
      </form>
      <div className="flex flex-wrap items-center gap-3">
        <Button
          type="button"
          className="text-sm text-accent underline"
          disabled={busy}
          onClick={() =>
            void act(async () => {
              await callApi("POST", "/api/account/email-verification/resend");
              return "A new code is on its way.";
            })
          }
        >
          Send a new code
        </Button>
        {status && (
          <span role="status" className={status.ok ? "text-sm text-green-800" : "text-sm text-red-800"}>
            {status.text}
          </span>
        )}
      </div>
    </section>
  );
}
