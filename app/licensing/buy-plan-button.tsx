"use client";
import { useState } from "react";
import { callApi, describeFailure } from "@/app/call-api";
import { Button } from "@/app/button";

/** Starts a checkout for a new license (or, with licenseId, pays or renews one) and goes to pay. */
export function CheckoutButton(props: {
  label: string;
  theaterOrgId?: string;
  planId?: string;
  licenseId?: string;
  testId: string;
}) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  async function go() {
    setBusy(true);
    setError(null);
    try {
      const { url } = props.licenseId
        ? await callApi<{ url: string }>("POST", `/api/licensing/licenses/${props.licenseId}/checkout`, {})
        : await callApi<{ url: string }>("POST", "/api/licensing/licenses", {
            theaterOrgId: props.theaterOrgId,
            planId: props.planId,
          });
      window.location.assign(url);
    } catch (e) {
      setError(describeFailure(e, { withReason: true }));
      setBusy(false);
    }
  }
  return (
    <span className="inline-flex flex-col gap-1">
      <Button type="button" className="btn" disabled={busy} onClick={go} data-testid={props.testId}>
        {busy ? "Opening checkout…" : props.label}
      </Button>
      {error && (
        <span role="alert" className="text-xs text-red-700">
          {error}
        </span>
      )}
    </span>
  );
}
