import type { LicenseState } from "@/lib/licensing/license-state";

const stateStyle: Record<LicenseState, string> = {
  pending_payment: "bg-amber-100 text-amber-900",
  active: "bg-green-100 text-green-900",
  expired: "bg-stone-200 text-stone-800",
  suspended: "bg-orange-100 text-orange-900",
  revoked: "bg-red-100 text-red-900",
};

export function LicenseStateBadge({ state }: { state: LicenseState }) {
  return (
    <span className={`rounded px-2 py-0.5 text-xs font-medium ${stateStyle[state]}`} data-testid="license-state">
      {state.replace("_", " ")}
    </span>
  );
}

export function Entitlements({ entitlements }: { entitlements: Record<string, number> }) {
  return (
    <span className="text-sm text-stone-700">
      {Object.entries(entitlements)
        .map(([k, v]) => `${v.toLocaleString("en")} ${k.replace(/([A-Z])/g, " $1").toLowerCase()}`)
        .join(" · ")}
    </span>
  );
}
