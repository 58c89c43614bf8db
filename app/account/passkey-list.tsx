"use client";
import { useState } from "react";
import { OriginMark } from "@/app/origin-mark";
import { useRouter } from "next/navigation";
import { startRegistration, type PublicKeyCredentialCreationOptionsJSON } from "@simplewebauthn/browser";
import Link from "next/link";
import { ApiCallError, callApi, describeFailure } from "@/app/call-api";
import { Button } from "@/app/button";
import { formText } from "@/app/form-text";

type PasskeyRow = {
  id: string;
  name: string;
  createdAt: string;
  lastUsedAt: string;
  synced: boolean;
  /** The Guildhall it was registered at, when it came with a fork: it signs in there, not here. */
  origin?: { host: string; importedAt: Date } | null;
};

/** The account's passkeys: add one (this device or a security key), rename, remove. */
export function PasskeyList({ passkeys }: { passkeys: PasskeyRow[] }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [reauth, setReauth] = useState(false);
  const [busy, setBusy] = useState(false);
  const [editing, setEditing] = useState<{ id: string; name: string } | null>(null);

  async function act(action: () => Promise<void>) {
    setBusy(true);
    setError(null);
    setReauth(false);
    try {
      await action();
      router.refresh();
    } catch (e) {
      setError(describeFailure(e));
      setReauth(e instanceof ApiCallError && e.reason === "REAUTH_REQUIRED");
    } finally {
      setBusy(false);
    }
  }

  const add = (e: React.FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = e.currentTarget;
    const name = formText(form, "name").trim();
    return act(async () => {
      const optionsJSON = await callApi<PublicKeyCredentialCreationOptionsJSON>(
        "POST",
        "/api/account/passkeys/options",
      );
      const response = await startRegistration({ optionsJSON });
      await callApi("POST", "/api/account/passkeys", { response, name: name || undefined });
      form.reset();
    });
  };

  return (
    <div className="space-y-4">
      {error && (
        <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800" data-testid="passkey-error">
          {error}
          {reauth && (
            <>
              {" "}
              <Link className="underline" href="/sign-in?prompt=login&callbackUrl=%2Faccount" data-testid="reauth-link">
                Sign in again
              </Link>
            </>
          )}
        </p>
      )}
      {passkeys.length === 0 ? (
        <p className="text-sm text-stone-700" data-testid="no-passkeys">
          No passkeys yet: you sign in with email codes. Add a passkey to sign in with one tap.
        </p>
      ) : (
        <table className="table" data-testid="passkeys">
          <thead>
            <tr>
              <th>Name</th>
              <th>Added</th>
              <th>Last used</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {passkeys.map((p) => (
              <tr key={p.id} data-testid="passkey-row">
                <td>
                  {editing?.id === p.id ? (
                    <form
                      className="flex flex-wrap gap-2"
                      onSubmit={(e) => {
                        e.preventDefault();
                        void act(async () => {
                          await callApi("PATCH", `/api/account/passkeys/${p.id}`, { name: editing.name });
                          setEditing(null);
                        });
                      }}
                    >
                      <input
                        aria-label="Passkey name"
                        className="input"
                        maxLength={60}
                        required
                        value={editing.name}
                        onChange={(e) => setEditing({ id: p.id, name: e.target.value })}
                      />
                      <Button type="submit" className="btn" disabled={busy}>
                        Save
                      </Button>
                      <button type="button" className="btn-secondary" onClick={() => setEditing(null)}>
                        Cancel
                      </button>
                    </form>
                  ) : (
                    <span data-testid="passkey-name">{p.name}</span>
                  )}
                  {p.synced && (
                    <span className="ml-2 rounded bg-stone-100 px-1.5 py-0.5 text-xs text-stone-600">synced</span>
                  )}
                  <OriginMark origin={p.origin ?? null} />
                  {p.origin && (
                    <div className="text-xs text-stone-600">
                      Registered at {p.origin.host}: it signs in there, not here (a passkey belongs to one site). It is
                      kept so the ballots you signed with it still verify; add a passkey for this Guildhall.
                    </div>
                  )}
                </td>
                <td>{p.createdAt}</td>
                <td>{p.lastUsedAt}</td>
                <td className="whitespace-nowrap text-right">
                  <Button
                    type="button"
                    className="text-sm text-accent underline"
                    disabled={busy}
                    onClick={() => setEditing({ id: p.id, name: p.name })}
                  >
                    Rename
                  </Button>{" "}
                  <Button
                    type="button"
                    className="ml-3 text-sm text-red-700 underline"
                    disabled={busy}
                    onClick={() => {
                      const last =
                        passkeys.length === 1
                          ? " It is your last one: you will sign in with email codes until you add another."
                          : "";
                      if (window.confirm(`Remove the passkey "${p.name}"?${last}`))
                        void act(() => callApi("DELETE", `/api/account/passkeys/${p.id}`));
                    }}
                  >
                    Remove
                  </Button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <form onSubmit={add} className="flex max-w-lg items-end gap-2">
        <div className="flex-1">
          <label className="label" htmlFor="new-passkey-name">
            New passkey name (optional)
          </label>
          <input id="new-passkey-name" className="input" maxLength={60} placeholder="e.g. Work laptop" name="name" />
        </div>
        <Button type="submit" className="btn" disabled={busy}>
          Add a passkey
        </Button>
      </form>
    </div>
  );
}
