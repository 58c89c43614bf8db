"use client";
import { useState } from "react";
import { useRouter } from "next/navigation";
import { callApi, describeFailure } from "@/app/call-api";
import type { LicenseState } from "@/lib/licensing/license-state";
import { Button } from "@/app/button";
import { planRequestFromForm } from "@/app/admin/licensing/plan-request";

/** An org admin offers a plan. The price is typed in major units of its currency and sent as integer minor units. */
export function PlanForm() {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  async function submit(form: FormData) {
    setError(null);
    const request = planRequestFromForm(form);
    if (!request.ok) return setError(request.message);
    try {
      await callApi("POST", "/api/licensing/plans", request.body);
      router.refresh();
    } catch (e) {
      setError(describeFailure(e, { withReason: true }));
    }
  }
  return (
    <form action={submit} className="grid grid-cols-2 gap-3 md:grid-cols-4" data-testid="plan-form">
      <input className="input" name="name" placeholder="Plan name" required />
      <input className="input" name="termDays" type="number" min={1} defaultValue={365} aria-label="Term in days" />
      <input className="input" name="price" placeholder="Price, e.g. 600.00" required />
      <select className="input" name="currency" defaultValue="EUR" aria-label="Currency">
        <option>EUR</option>
        <option>USD</option>
      </select>
      <input className="input" name="venues" type="number" min={0} defaultValue={1} aria-label="Venues" />
      <input className="input" name="seats" type="number" min={0} defaultValue={400} aria-label="Seats" />
      <input
        className="input"
        name="showsPerMonth"
        type="number"
        min={0}
        defaultValue={30}
        aria-label="Shows per month"
      />
      <button className="btn" type="submit">
        Offer plan
      </button>
      {error && (
        <p role="alert" className="col-span-full text-sm text-red-700">
          {error}
        </p>
      )}
    </form>
  );
}

/** Suspend, reinstate or revoke, with a reason that goes into the audit chain. */
export function StandingButtons({ licenseId, state }: { licenseId: string; state: LicenseState }) {
  const router = useRouter();
  const [reason, setReason] = useState("");
  const [error, setError] = useState<string | null>(null);
  async function act(action: "suspend" | "reinstate" | "revoke") {
    setError(null);
    try {
      await callApi("POST", `/api/licensing/licenses/${licenseId}/standing`, { action, reason });
      router.refresh();
    } catch (e) {
      setError(describeFailure(e, { withReason: true }));
    }
  }
  if (state === "revoked") return null;
  return (
    <div className="flex flex-wrap items-center gap-2">
      <input
        className="input w-40"
        placeholder="Reason"
        value={reason}
        onChange={(e) => setReason(e.target.value)}
        aria-label="Reason"
      />
      {state === "suspended" ? (
        <Button type="button" className="btn-secondary" onClick={() => act("reinstate")}>
          Reinstate
        </Button>
      ) : (
        state !== "pending_payment" && (
          <Button type="button" className="btn-secondary" onClick={() => act("suspend")}>
            Suspend
          </Button>
        )
      )}
      <Button type="button" className="btn-secondary" onClick={() => act("revoke")}>
        Revoke
      </Button>
      {error && (
        <span role="alert" className="text-xs text-red-700">
          {error}
        </span>
      )}
    </div>
  );
}
