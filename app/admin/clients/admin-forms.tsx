"use client";

import { useActionState } from "react";
import type { ActionResult } from "@/lib/oidc/http/action-result";

type Action = (prev: ActionResult, form: FormData) => Promise<ActionResult>;

const nextStates: Record<string, { status: string; label: string }[]> = {
  pending: [
    { status: "approved", label: "Approve" },
    { status: "rejected", label: "Reject" },
  ],
  approved: [{ status: "suspended", label: "Suspend" }],
  suspended: [{ status: "approved", label: "Reinstate" }],
  rejected: [],
};

/** The buttons that move a client to its next allowed status. */
export function ReviewButtons({ action, clientId, status }: { action: Action; clientId: string; status: string }) {
  const [state, formAction, pending] = useActionState(action, {});
  return (
    <form action={formAction} className="flex flex-wrap gap-2">
      <input type="hidden" name="clientId" value={clientId} />
      {(nextStates[status] ?? []).map((s) => (
        <button
          type="submit"
          key={s.status}
          className="btn-secondary"
          name="status"
          value={s.status}
          disabled={pending}
          data-testid={`${s.status}-${clientId}`}
        >
          {s.label}
        </button>
      ))}
      {state.error && (
        <span role="alert" className="text-xs text-red-700">
          {state.error}
        </span>
      )}
    </form>
  );
}

export function IssueTokenForm({ action, hosts }: { action: Action; hosts: { id: string; name: string }[] }) {
  const [state, formAction, pending] = useActionState(action, {});
  return (
    <form action={formAction} className="card space-y-3">
      <h2 className="text-lg font-semibold">Issue an initial access token</h2>
      <p className="text-sm text-stone-600">
        For RFC 7591 dynamic registration by a host&apos;s automation. Clients it registers belong to the host and are
        approved.
      </p>
      <div className="grid gap-3 sm:grid-cols-2">
        <div>
          <label className="label" htmlFor="hostOrgId">
            Host
          </label>
          <select className="input" id="hostOrgId" name="hostOrgId">
            {hosts.map((h) => (
              <option key={h.id} value={h.id}>
                {h.name}
              </option>
            ))}
            <option value="">(none: an operator client)</option>
          </select>
        </div>
        <div>
          <label className="label" htmlFor="ttlDays">
            Valid for (days)
          </label>
          <input className="input" id="ttlDays" name="ttlDays" type="number" min={1} max={90} defaultValue={7} />
        </div>
      </div>
      <button type="submit" className="btn" disabled={pending}>
        Issue
      </button>
      {state.error && (
        <p role="alert" className="text-sm text-red-700">
          {state.error}
        </p>
      )}
      {state.ok && (
        <p role="status" className="text-sm text-green-800">
          {state.ok}
        </p>
      )}
      {state.secret && (
        <p className="break-all rounded bg-stone-50 p-2 font-mono text-xs" data-testid="initial-access-token">
          {state.secret}
        </p>
      )}
    </form>
  );
}
