"use client";
import { useEffect, useRef, useState } from "react";
import { signIn } from "next-auth/react";
import {
  browserSupportsWebAuthn,
  browserSupportsWebAuthnAutofill,
  sendSignal,
  startAuthentication,
  type AuthenticationResponseJSON,
  type PublicKeyCredentialRequestOptionsJSON,
} from "@simplewebauthn/browser";
import { callApi, describeFailure } from "@/app/call-api";
import { decodeSignInError } from "@/lib/auth/sign-in-error";
import { Button } from "@/app/button";
import { formText } from "@/app/form-text";

type Step =
  | { kind: "start" }
  | { kind: "code-sent"; email: string }
  // The right code for an address without an account: a typo, or a newcomer. Asked, never assumed.
  | { kind: "confirm-new-account"; email: string; code: string };

const MAX_AUTOFILL_STARTS = 5;

/**
 * Passkey first: the email field offers the browser's passkeys in its
 * autofill (conditional UI), and the button opens the browser's passkey
 * dialog. The email code is the fallback, and the way back in for an account
 * that lost its passkeys.
 */
export function SignInForm({ callbackPath, rpID }: { callbackPath: string; rpID: string }) {
  const [step, setStep] = useState<Step>({ kind: "start" });
  const [lastEmail, setLastEmail] = useState("");
  const [code, setCode] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [passkeysSupported, setPasskeysSupported] = useState(true);
  const autofillStarts = useRef(0);

  async function finishPasskey(response: AuthenticationResponseJSON) {
    const result = await signIn("passkey", { response: JSON.stringify(response), redirect: false });
    if (!result || result.error) {
      const error = decodeSignInError(result?.error);
      // A passkey removed from the account still sits on the device: ask the
      // browser to forget it, so it stops offering a passkey that cannot work.
      if (error?.reason === "UNKNOWN_PASSKEY")
        await sendSignal({ signalName: "unknownCredential", rpID, credentialID: response.id }).catch(() => undefined);
      throw new Error(error?.message ?? "Sign-in failed.");
    }
    window.location.assign(callbackPath);
  }

  // Conditional UI: ask for the passkeys this browser holds for the site; the
  // request resolves only when the person picks one from the email field's
  // autofill. Until they pick one it is the page's request, not theirs: its
  // failures (a limit, a network error, a browser that declines) are never
  // shown to someone typing their address, and not retried, since a retry
  // would only meet the same limit. Once they picked a passkey, a failure is
  // theirs to see, and the autofill is offered again (a few times at most).
  function startAutofill() {
    if (autofillStarts.current >= MAX_AUTOFILL_STARTS) return;
    autofillStarts.current += 1;
    let picked = false;
    (async () => {
      if (!(await browserSupportsWebAuthnAutofill())) return;
      const optionsJSON = await callApi<PublicKeyCredentialRequestOptionsJSON>("POST", "/api/auth/passkey/options");
      const response = await startAuthentication({ optionsJSON, useBrowserAutofill: true });
      picked = true;
      setBusy(true);
      await finishPasskey(response);
    })().catch((e: unknown) => {
      if (!picked) return;
      setBusy(false);
      setError(describeFailure(e));
      startAutofill();
    });
  }

  // biome-ignore lint/correctness/useExhaustiveDependencies: runs once per page; startAutofill only reads values fixed for the page's life.
  useEffect(() => {
    setPasskeysSupported(browserSupportsWebAuthn());
    if (autofillStarts.current === 0) startAutofill();
  }, []);

  /** Runs one step of the form; false when it failed (its message is shown). */
  async function run(action: () => Promise<void>): Promise<boolean> {
    setBusy(true);
    setError(null);
    try {
      await action();
      return true;
    } catch (e) {
      setError(describeFailure(e));
      setBusy(false);
      return false;
    }
  }

  const passkeyDialog = async () => {
    const signedIn = await run(async () => {
      const optionsJSON = await callApi<PublicKeyCredentialRequestOptionsJSON>("POST", "/api/auth/passkey/options");
      await finishPasskey(await startAuthentication({ optionsJSON }));
    });
    // The dialog failed or was cancelled: offer passkeys in the autofill again.
    if (!signedIn) startAutofill();
  };

  const requestCode = (e: React.FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const email = formText(e.currentTarget, "email");
    setLastEmail(email); // so "Use another address" shows it again
    return run(async () => {
      await callApi("POST", "/api/auth/email-code", { email });
      setStep({ kind: "code-sent", email: email.trim().toLowerCase() });
      setBusy(false);
    });
  };

  /** Posts the code; false when there is no account for the address yet (the person is then asked). */
  async function signInWithCode(email: string, code: string, createAccount: boolean): Promise<boolean> {
    const result = await signIn("email-code", {
      email,
      code,
      ...(createAccount ? { createAccount: "true" } : {}),
      redirect: false,
    });
    if (!result || result.error) {
      const failure = decodeSignInError(result?.error);
      if (failure?.reason === "NO_ACCOUNT" && !createAccount) return false;
      throw new Error(failure?.message ?? "Sign-in failed.");
    }
    window.location.assign(callbackPath);
    return true;
  }

  const submitCode = (e: React.FormEvent) => {
    e.preventDefault();
    if (step.kind !== "code-sent") return;
    return run(async () => {
      if (await signInWithCode(step.email, code, false)) return;
      setStep({ kind: "confirm-new-account", email: step.email, code });
      setBusy(false);
    });
  };

  const createAccount = () => {
    if (step.kind !== "confirm-new-account") return;
    return run(async () => {
      await signInWithCode(step.email, step.code, true);
    });
  };

  const startOver = () => {
    setStep({ kind: "start" });
    setCode("");
    setError(null);
  };

  return (
    <div className="card space-y-6">
      {error && (
        <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800" data-testid="sign-in-error">
          {error}
        </p>
      )}
      {step.kind === "start" ? (
        <>
          <div className="space-y-2">
            <Button
              type="button"
              className="btn w-full justify-center"
              onClick={passkeyDialog}
              disabled={busy || !passkeysSupported}
              data-testid="passkey-sign-in"
            >
              Sign in with a passkey
            </Button>
            {!passkeysSupported && (
              <p className="text-sm text-stone-600">
                This browser cannot use passkeys; sign in with an email code below.
              </p>
            )}
          </div>
          <div className="flex flex-wrap items-center gap-3 text-xs uppercase tracking-wide text-stone-500">
            <span className="h-px flex-1 bg-stone-200" />
            or get a code by email
            <span className="h-px flex-1 bg-stone-200" />
          </div>
          <form onSubmit={requestCode} className="space-y-3">
            <label className="label" htmlFor="email">
              Email address
            </label>
            <input
              id="email"
              name="email"
              type="email"
              required
              className="input"
              autoComplete="username webauthn"
              defaultValue={lastEmail}
            />
            <Button type="submit" className="btn-secondary w-full justify-center" disabled={busy}>
              Email me a sign-in code
            </Button>
          </form>
        </>
      ) : step.kind === "confirm-new-account" ? (
        <div className="space-y-3" data-testid="confirm-new-account">
          <p className="text-sm text-stone-700">
            There is no Guildhall account for <strong>{step.email}</strong>. If you already have an account, you may
            have signed up with another address: check it for typos and sign in with that one.
          </p>
          <Button type="button" className="btn w-full justify-center" disabled={busy} onClick={createAccount}>
            Create a new account for {step.email}
          </Button>
          <Button type="button" className="btn-secondary w-full justify-center" disabled={busy} onClick={startOver}>
            Use another address
          </Button>
        </div>
      ) : (
        <form onSubmit={submitCode} className="space-y-3">
          <p className="text-sm text-stone-700">
            We sent a 6-digit code to <strong>{step.email}</strong>. It expires in 10 minutes, and works only in this
            browser.
          </p>
          <label className="label" htmlFor="code">
            Code
          </label>
          <input
            id="code"
            name="code"
            inputMode="numeric"
            autoComplete="one-time-code"
            pattern="\d{6}"
            maxLength={6}
            required
            className="input tracking-widest"
            value={code}
            onChange={(e) => setCode(e.target.value)}
          />
          <Button type="submit" className="btn w-full justify-center" disabled={busy}>
            Sign in
          </Button>
          <div className="flex justify-between">
            <Button
              type="button"
              className="text-sm text-accent underline"
              disabled={busy}
              onClick={() =>
                void run(async () => {
                  await callApi("POST", "/api/auth/email-code", { email: step.email });
                  setError(null);
                  setBusy(false);
                })
              }
            >
              Send a new code
            </Button>
            <Button type="button" className="text-sm text-accent underline" onClick={startOver}>
              Use another address or a passkey
            </Button>
          </div>
        </form>
      )}
    </div>
  );
}
