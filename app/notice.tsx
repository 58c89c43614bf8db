"use client";
import { useSyncExternalStore } from "react";

/**
 * The result of the last act, shown at the top of every page until dismissed
 * or replaced. It lives in the layout, so it stays when the act's own button
 * disappears with the page's refresh (a revoked license has no Revoke button).
 */
let current: string | null = null;
const listeners = new Set<() => void>();

export function announce(message: string) {
  current = message;
  for (const l of listeners) l();
}

function subscribe(listener: () => void) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function Notice() {
  const message = useSyncExternalStore(
    subscribe,
    () => current,
    () => null,
  );
  if (!message) return null;
  return (
    <div
      role="status"
      data-testid="notice"
      className="mb-6 flex items-start justify-between gap-4 rounded-md border border-green-300 bg-green-50 p-3 text-sm text-green-900"
    >
      <span>{message}</span>
      <button type="button" className="underline" onClick={() => announce("")}>
        Dismiss
      </button>
    </div>
  );
}
