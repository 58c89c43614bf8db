"use client";
import { useState } from "react";
import { callApi, describeFailure } from "@/app/call-api";
import { Button } from "@/app/button";
import { ConfirmWithReason, clientAct } from "@/app/confirm-with-reason";
import { CopyButton } from "@/app/copy-button";
import { formText } from "@/app/form-text";

type Token = { id: string; name: string; tokenPrefix: string; createdAt: string; lastUsedAt: string | null };

/** A theater admin's tokens for the guildhall-theater management client. */
export function ApiTokens({ orgId, initial }: { orgId: string; initial: Token[] }) {
  const [tokens, setTokens] = useState(initial);
  // The secret just made, with its token's id: revoking that token takes it off the screen.
  const [shown, setShown] = useState<{ id: string; token: string } | null>(null);
  const [error, setError] = useState<string | null>(null);
  async function create(name: string) {
    setError(null);
    try {
      const made = await callApi<{ id: string; token: string; name: string }>(
        "POST",
        `/api/licensing/theaters/${orgId}/api-tokens`,
        { name, ttlDays: 365 },
      );
      setShown({ id: made.id, token: made.token });
      setTokens([
        {
          id: made.id,
          name: made.name,
          tokenPrefix: made.token.slice(0, 10),
          createdAt: new Date().toISOString(),
          lastUsedAt: null,
        },
        ...tokens,
      ]);
    } catch (e) {
      setError(describeFailure(e, { withReason: true }));
    }
  }
  async function revoke(token: Token, reason: string) {
    await callApi("DELETE", `/api/licensing/api-tokens/${token.id}`, { reason });
    setTokens((list) => list.filter((t) => t.id !== token.id));
    setShown((s) => (s?.id === token.id ? null : s));
    return `Token “${token.name}” revoked${shown?.id === token.id ? " and its secret taken off the screen" : ""}: anything still using it is refused from now on.`;
  }
  return (
    <div className="space-y-2 text-sm">
      <form
        className="flex flex-wrap items-end gap-2"
        onSubmit={(e) => {
          e.preventDefault();
          void create(formText(e.currentTarget, "name"));
        }}
      >
        <div className="w-full max-w-64">
          <label className="label" htmlFor={`token-name-${orgId}`}>
            Token name (where you will use it)
          </label>
          <input
            id={`token-name-${orgId}`}
            className="input"
            name="name"
            defaultValue="management client"
            placeholder="box-office laptop"
          />
        </div>
        <Button type="submit" className="btn-secondary">
          Make API token
        </Button>
      </form>
      {shown && (
        <div role="status" className="space-y-2 rounded-md border border-amber-300 bg-amber-50 p-3">
          <p>Copy it now: it is not shown again. Anyone holding it acts for this theater.</p>
          <div className="flex flex-wrap items-center gap-2">
            <code className="break-all" data-testid="api-token">
              {shown.token}
            </code>
            <CopyButton value={shown.token} label="Copy the token" />
          </div>
        </div>
      )}
      {error && (
        <p role="alert" className="text-red-700">
          {error}
        </p>
      )}
      <ul>
        {tokens.map((t) => (
          <li key={t.id} className="flex flex-wrap items-center gap-3">
            <code>{t.tokenPrefix}…</code> {t.name}{" "}
            <span className="text-stone-500">
              last used {t.lastUsedAt ? new Date(t.lastUsedAt).toISOString().slice(0, 16) : "never"}
            </span>
            <ConfirmWithReason
              triggerLabel="Revoke"
              title={`Revoke the token “${t.name}”?`}
              consequence={
                <p>
                  Anything using this token (the theater management client) is refused from now on. This cannot be
                  undone; make a new token if you need one.
                </p>
              }
              confirmLabel="Revoke the token"
              testId={`revoke-token-${t.id}`}
              action={(_prev, form) => clientAct(() => revoke(t, String(form.get("reason") ?? "")))}
            />
          </li>
        ))}
      </ul>
    </div>
  );
}
