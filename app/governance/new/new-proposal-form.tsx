"use client";
import { useState } from "react";
import { useRouter } from "next/navigation";
import type { ProposalChoices } from "@/lib/governance/list-proposal-choices";
import { callApi, describeFailure } from "@/app/call-api";
import { Button } from "@/app/button";
import { useHydrated } from "@/app/use-hydrated";
import { Field } from "@/app/governance/new/field";
import { FieldError, type ProposalKind, proposalContentFromForm } from "@/app/governance/new/proposal-content";
import { ProposalKindFields } from "@/app/governance/new/proposal-kind-fields";

/**
 * One form for every kind: the kind decides which fields are asked for; the
 * server validates them. onSubmit rather than a form action, because React
 * resets a form after an action and a refused proposal would lose its text.
 */
export function NewProposalForm({
  choices,
  kindLabels,
}: {
  choices: ProposalChoices;
  kindLabels: Record<ProposalKind, string>;
}) {
  const router = useRouter();
  // The kind lives in React's state (it decides the fields shown): the choice waits until React runs.
  const hydrated = useHydrated();
  const [kind, setKind] = useState<ProposalKind>("release");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const minHours = choices.rules.find((r) => r.kind === kind)?.minWindowHours ?? 72;

  async function submit(form: FormData) {
    setBusy(true);
    setError(null);
    const v = (k: string) => String(form.get(k) ?? "");
    try {
      const content = proposalContentFromForm(kind, form);
      const created = await callApi<{ id: string }>("POST", "/api/governance/proposals", {
        kind,
        title: v("title"),
        content,
        windowHours: Number(v("windowHours")),
        openNow: form.get("openNow") === "on",
      });
      router.push(`/governance/${created.id}`);
    } catch (e) {
      setError(e instanceof FieldError ? e.message : describeFailure(e));
      setBusy(false);
    }
  }

  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        void submit(new FormData(e.currentTarget));
      }}
      className="card max-w-2xl space-y-4"
      data-testid="new-proposal-form"
    >
      <Field label="Kind">
        <select
          className="input"
          name="kind"
          value={kind}
          disabled={!hydrated}
          onChange={(e) => setKind(e.target.value as ProposalKind)}
        >
          {(Object.keys(kindLabels) as ProposalKind[]).map((k) => (
            <option key={k} value={k}>
              {kindLabels[k]}
            </option>
          ))}
        </select>
      </Field>
      <Field label="Title">
        <input className="input" name="title" required minLength={3} maxLength={200} />
      </Field>
      <ProposalKindFields kind={kind} choices={choices} />
      <Field label={`Voting window in hours (at least ${minHours})`}>
        <input
          className="input"
          name="windowHours"
          type="number"
          min={minHours}
          defaultValue={minHours}
          key={kind}
          required
        />
      </Field>
      <label className="flex flex-wrap items-center gap-2 text-sm">
        <input type="checkbox" name="openNow" defaultChecked /> Open the vote now (otherwise it stays a draft)
      </label>
      <Button type="submit" className="btn" disabled={busy}>
        {busy ? "Saving…" : "Create proposal"}
      </Button>
      {error && (
        <p role="alert" className="text-sm text-red-700" data-testid="form-error">
          {error}
        </p>
      )}
    </form>
  );
}
