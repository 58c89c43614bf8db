"use client";
import { useState } from "react";
import { callApi, describeFailure } from "@/app/call-api";
import { Button } from "@/app/button";

type Token = { id: string; name: string; tokenPrefix: string; createdAt: string; lastUsedAt: string | null };

/** A theater admin's tokens for the guildhall-theater management client. */
export function ApiTokens({ orgId, initial }: { orgId: string; initial: Token[] }) {
  const [tokens, setTokens] = useState(initial);
  const [name, setName] = useState("management client");
  const [shown, setShown] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  async function create() {
    setError(null);
    try {
      const made = await callApi<{ id: string; token: string; name: string }>(
        "POST",
        `/api/licensing/theaters/${orgId}/api-tokens`,
        { name, ttlDays: 365 },
      );
      setShown(made.token);
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
  async function revoke(id: string) {
    try {
      await callApi("DELETE", `/api/licensing/api-tokens/${id}`);
      setTokens(tokens.filter((t) => t.id !== id));
    } catch (e) {
      setError(describeFailure(e, { withReason: true }));
    }
  }
  return (
    <div className="space-y-2 text-sm">
      <div className="flex gap-2">
        <input className="input w-64" value={name} onChange={(e) => setName(e.target.value)} aria-label="Token name" />
        <Button type="button" className="btn-secondary" onClick={create}>
          Make API token
        </Button>
      </div>
      {shown && (
        <p role="status">
          Copy it now, it is not shown again:{" "}
          <code className="break-all" data-testid="api-token">
            {shown}
          </code>
        </p>
      )}
      {error && (
        <p role="alert" className="text-red-700">
          {error}
        </p>
      )}
      <ul>
        {tokens.map((t) => (
          <li key={t.id} className="flex items-center gap-3">
            <code>{t.tokenPrefix}…</code> {t.name}{" "}
            <span className="text-stone-500">
              last used {t.lastUsedAt ? new Date(t.lastUsedAt).toISOString().slice(0, 16) : "never"}
            </span>
            <Button type="button" className="underline" onClick={() => revoke(t.id)}>
              Revoke
            </Button>
          </li>
        ))}
      </ul>
    </div>
  );
}
