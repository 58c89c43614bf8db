"use client";
import { useState } from "react";
import { signIn } from "next-auth/react";
import {
  browserSupportsWebAuthn,
  startRegistration,
  type PublicKeyCredentialCreationOptionsJSON,
} from "@simplewebauthn/browser";
import { callApi, describeFailure } from "@/app/call-api";
import { Button } from "@/app/button";
import { decodeSignInError } from "@/lib/auth/sign-in-error";
import { formText } from "@/app/form-text";

/**
 * Sign-up in one step: the server hands out registration options for the new
 * account, the browser makes the passkey, and next-auth's "passkey-sign-up"
 * provider creates the account with it and signs the person in.
 */
export function SignUpForm({ callbackPath }: { callbackPath: string }) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const name = formText(e.currentTarget, "name");
    const email = formText(e.currentTarget, "email");
    setBusy(true);
    setError(null);
    try {
      if (!browserSupportsWebAuthn())
        throw new Error(
          "This browser cannot make passkeys. Sign in with an email code instead: that also creates an account.",
        );
      const optionsJSON = await callApi<PublicKeyCredentialCreationOptionsJSON>("POST", "/api/auth/sign-up/options", {
        email,
        name,
      });
      const response = await startRegistration({ optionsJSON });
      const result = await signIn("passkey-sign-up", {
        email,
        name,
        response: JSON.stringify(response),
        redirect: false,
      });
      if (!result || result.error) throw new Error(decodeSignInError(result?.error)?.message ?? "Sign-up failed.");
      window.location.assign(callbackPath === "/account" ? "/account?welcome=1" : callbackPath);
    } catch (e) {
      setError(describeFailure(e));
      setBusy(false);
    }
  }

  return (
    <form onSubmit={submit} className="card space-y-4">
      {error && (
        <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800" data-testid="sign-up-error">
          {error}
        </p>
      )}
      <div>
        <label className="label" htmlFor="name">
          Your name
        </label>
        <input id="name" name="name" required maxLength={100} autoComplete="name" className="input" />
      </div>
      <div>
        <label className="label" htmlFor="email">
          Email address
        </label>
        <input id="email" name="email" type="email" required autoComplete="email" className="input" />
      </div>
      <Button type="submit" className="btn w-full justify-center" disabled={busy}>
        Create account with a passkey
      </Button>
    </form>
  );
}
