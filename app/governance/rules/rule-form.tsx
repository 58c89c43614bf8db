"use client";
import { useState } from "react";
import { useRouter } from "next/navigation";
import type { Rule } from "@/lib/governance/verifier/tally-rules";
import { callApi, describeFailure } from "@/app/call-api";

export function RuleForm({ kind, rule }: { kind: string; rule: Rule }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  async function submit(form: FormData) {
    setError(null);
    const n = (k: string) => Number(form.get(k));
    const next: Rule =
      rule.type === "majority"
        ? { type: "majority", minWindowHours: n("minWindowHours"), quorumPercent: n("quorumPercent") }
        : { type: rule.type, minWindowHours: n("minWindowHours"), minBindingApprovals: n("minBindingApprovals") };
    try {
      await callApi("PUT", `/api/governance/rules/${kind}`, next);
      router.refresh();
    } catch (e) {
      setError(describeFailure(e));
    }
  }
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        void submit(new FormData(e.currentTarget));
      }}
      className="flex flex-wrap items-end gap-3 text-sm"
      data-testid={`rule-form-${kind}`}
    >
      <label>
        Minimum window (hours)
        <input className="input w-28" name="minWindowHours" type="number" defaultValue={rule.minWindowHours} />
      </label>
      {rule.type === "majority" ? (
        <label>
          Quorum (% of binding voters)
          <input className="input w-28" name="quorumPercent" type="number" defaultValue={rule.quorumPercent} />
        </label>
      ) : (
        <label>
          Binding +1 needed
          <input
            className="input w-28"
            name="minBindingApprovals"
            type="number"
            defaultValue={rule.minBindingApprovals}
          />
        </label>
      )}
      <button type="submit" className="btn-secondary">
        Save
      </button>
      {error && (
        <span role="alert" className="text-red-700">
          {error}
        </span>
      )}
    </form>
  );
}
