"use client";
import { useState } from "react";
import { useRouter } from "next/navigation";
import { callApi, describeFailure } from "@/app/call-api";
import type { LicenseState } from "@/lib/licensing/license-state";
import { planRequestFromForm } from "@/app/admin/licensing/plan-request";
import { ConfirmWithReason, clientAct } from "@/app/confirm-with-reason";
import { announce } from "@/app/notice";

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
      announce(`Plan “${String(request.body.name)}” offered: theater admins can buy it now.`);
      router.refresh();
    } catch (e) {
      setError(describeFailure(e, { withReason: true }));
    }
  }
  return (
    <form action={submit} className="grid grid-cols-2 gap-3 md:grid-cols-4" data-testid="plan-form">
      <div>
        <label className="label" htmlFor="plan-name">
          Plan name
        </label>
        <input className="input" id="plan-name" name="name" placeholder="Small venue" required />
      </div>
      <div>
        <label className="label" htmlFor="plan-term">
          Term (days)
        </label>
        <input className="input" id="plan-term" name="termDays" type="number" min={1} defaultValue={365} />
      </div>
      <div>
        <label className="label" htmlFor="plan-price">
          Price
        </label>
        <input className="input" id="plan-price" name="price" inputMode="decimal" placeholder="600.00" required />
      </div>
      <div>
        <label className="label" htmlFor="plan-currency">
          Currency
        </label>
        <select className="input" id="plan-currency" name="currency" defaultValue="EUR">
          <option>EUR</option>
          <option>USD</option>
        </select>
      </div>
      <div>
        <label className="label" htmlFor="plan-venues">
          Venues
        </label>
        <input className="input" id="plan-venues" name="venues" type="number" min={0} defaultValue={1} />
      </div>
      <div>
        <label className="label" htmlFor="plan-seats">
          Seats
        </label>
        <input className="input" id="plan-seats" name="seats" type="number" min={0} defaultValue={400} />
      </div>
      <div>
        <label className="label" htmlFor="plan-shows">
          Shows a month
        </label>
        <input className="input" id="plan-shows" name="showsPerMonth" type="number" min={0} defaultValue={30} />
      </div>
      <div className="flex items-end">
        <button className="btn" type="submit">
          Offer plan
        </button>
      </div>
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
