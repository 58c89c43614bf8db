import type { LicenseState } from "@/lib/licensing/license-state";

const stateStyle: Record<LicenseState, string> = {
  pending_payment: "bg-amber-100 text-amber-900",
  active: "bg-green-100 text-green-900",
  expired: "bg-stone-200 text-stone-800",
  suspended: "bg-orange-100 text-orange-900",
  revoked: "bg-red-100 text-red-900",
};

const stateWords: Record<LicenseState, string> = {
  pending_payment: "awaiting payment",
  active: "active",
  expired: "expired",
  suspended: "suspended",
  revoked: "revoked",
};

export function LicenseStateBadge({ state }: { state: LicenseState }) {
  return (
    <span className={`rounded px-2 py-0.5 text-xs font-medium ${stateStyle[state]}`} data-testid="license-state">
      {stateWords[state]}
    </span>
  );
}

/** Each entitlement's words, singular and plural; an unknown one is spelled out from its key. */
const entitlementWords: Record<string, [string, string]> = {
  venues: ["venue", "venues"],
  seats: ["seat", "seats"],
  showsPerMonth: ["show a month", "shows a month"],
};

export function entitlementText(key: string, n: number): string {
  const [one, many] = entitlementWords[key] ?? [
    key.replace(/([A-Z])/g, " $1").toLowerCase(),
    key.replace(/([A-Z])/g, " $1").toLowerCase(),
  ];
  return `${n.toLocaleString("en")} ${n === 1 ? one : many}`;
}

export function Entitlements({ entitlements }: { entitlements: Record<string, number> }) {
  return (
    <span className="text-sm text-stone-700">
      {Object.entries(entitlements)
        .map(([k, v]) => entitlementText(k, v))
        .join(" · ")}
    </span>
  );
}
