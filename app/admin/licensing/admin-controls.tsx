"use client";
import { useState } from "react";
import { useRouter } from "next/navigation";
import { callApi, describeFailure } from "@/app/call-api";
import type { LicenseState } from "@/lib/licensing/license-state";
import { planRequestFromForm } from "@/app/admin/licensing/plan-request";
import { ConfirmWithReason, clientAct } from "@/app/confirm-with-reason";

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

const standingWords = {
  suspend: {
    trigger: "Suspend",
    title: "Suspend this license?",
    consequence: "Its certificates stop being valid until it is reinstated; the theater's apps are refused meanwhile.",
    confirm: "Suspend the license",
    done: "License suspended. Reinstate it to make it valid again.",
  },
  reinstate: {
    trigger: "Reinstate",
    title: "Reinstate this license?",
    consequence: "Its certificates become valid again at once.",
    confirm: "Reinstate the license",
    done: "License reinstated.",
  },
  revoke: {
    trigger: "Revoke",
    title: "Revoke this license for good?",
    consequence:
      "This cannot be undone: the license ends now, its certificates are revoked and listed in the published revocation list, and the theater must buy a new license to continue.",
    confirm: "Revoke the license",
    done: "License revoked. Its certificates are in the revocation list.",
  },
} as const;

/**
 * Suspend, reinstate or revoke, each behind its own confirmation with its own
 * reason (a revocation never reuses the reason typed for a suspension), which
 * goes into the audit chain and the license's status.
 */
export function StandingButtons({ licenseId, state }: { licenseId: string; state: LicenseState }) {
  if (state === "revoked") return null;
  const acts: (keyof typeof standingWords)[] =
    state === "suspended" ? ["reinstate", "revoke"] : state === "pending_payment" ? ["revoke"] : ["suspend", "revoke"];
  return (
    <div className="flex flex-wrap items-center gap-2">
      {acts.map((action) => {
        const words = standingWords[action];
        return (
          <ConfirmWithReason
            key={action}
            triggerLabel={words.trigger}
            title={words.title}
            consequence={<p>{words.consequence}</p>}
            confirmLabel={words.confirm}
            testId={`${action}-${licenseId}`}
            action={(_prev, form) =>
              clientAct(async () => {
                await callApi("POST", `/api/licensing/licenses/${licenseId}/standing`, {
                  action,
                  reason: String(form.get("reason") ?? ""),
                });
                return words.done;
              })
            }
          />
        );
      })}
    </div>
  );
}
