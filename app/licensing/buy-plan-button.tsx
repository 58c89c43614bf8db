"use client";
import { useState } from "react";
import { postJson } from "./post-json";
import { Button } from "@/app/button";

/** Starts a checkout for a new license (or, with licenseId, pays or renews one) and goes to pay. */
export function CheckoutButton(props: { label: string; theaterOrgId?: string; planId?: string; licenseId?: string; testId: string }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  async function go() {
    setBusy(true);
    setError(null);
    try {
      const { url } = props.licenseId
        ? await postJson<{ url: string }>(`/api/licensing/licenses/${props.licenseId}/checkout`, {})
        : await postJson<{ url: string }>("/api/licensing/licenses", { theaterOrgId: props.theaterOrgId, planId: props.planId });
      window.location.assign(url);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
      setBusy(false);
    }
  }
  return (
    <span className="inline-flex flex-col gap-1">
      <Button type="button" className="btn" disabled={busy} onClick={go} data-testid={props.testId}>{busy ? "Opening checkout…" : props.label}</Button>
      {error && <span role="alert" className="text-xs text-red-700">{error}</span>}
    </span>
  );
}
