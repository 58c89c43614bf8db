"use client";
import { useState } from "react";
import { useRouter } from "next/navigation";
import { callApi, describeFailure } from "@/app/call-api";
import { useHydrated } from "@/app/use-hydrated";

/** Shown until the address is confirmed with the code mailed at sign-up. */
export function EmailVerification({ email }: { email: string }) {
  // Until hydrated the buttons have no handlers: disabled, so no click is lost.
  const hydrated = useHydrated();
  const router = useRouter();
  const [code, setCode] = useState("");
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
      <p className="text-sm text-stone-700">We emailed a 6-digit code to <strong>{email}</strong>. Confirming it lets you recover the account by email if you lose your passkeys.</p>
      <form
        className="flex max-w-md gap-2"
        onSubmit={(e) => {
          e.preventDefault();
          void act(async () => {
            await callApi("POST", "/api/account/email-verification", { code });
            router.refresh();
            return "Address confirmed.";
          });
        }}
      >
        <input aria-label="Confirmation code" className="input" inputMode="numeric" autoComplete="one-time-code" maxLength={6} required value={code} onChange={(e) => setCode(e.target.value)} />
        <button type="submit" className="btn" disabled={busy || !hydrated}>Confirm</button>
      </form>
      <div className="flex items-center gap-3">
        <button type="button" className="text-sm text-accent underline" disabled={busy || !hydrated} onClick={() => void act(async () => { await callApi("POST", "/api/account/email-verification/resend"); return "A new code is on its way."; })}>
          Send a new code
        </button>
        {status && <span role="status" className={status.ok ? "text-sm text-green-800" : "text-sm text-red-800"}>{status.text}</span>}
      </div>
    </section>
  );
}
