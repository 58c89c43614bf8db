"use client";
import { useState } from "react";
import { useRouter } from "next/navigation";
import type { ProposalChoices } from "@/lib/governance/list-proposal-choices";
import { callApi, describeFailure } from "@/app/call-api";

type Kind =
  | "release"
  | "policy"
  | "code_of_conduct"
  | "split_policy"
  | "host_admission"
  | "host_removal"
  | "roster_change"
  | "fork"
  | "federation_quorum";

class FieldError extends Error {}

function parseJsonField(text: string, label: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new FieldError(`${label}: not valid JSON.`);
  }
}

function Field({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    // biome-ignore lint/a11y/noLabelWithoutControl: the control is the child each caller passes.
    <label className="block">
      <span className="label">{label}</span>
      {children}
    </label>
  );
}

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
  kindLabels: Record<Kind, string>;
}) {
  const router = useRouter();
  const [kind, setKind] = useState<Kind>("release");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const minHours = choices.rules.find((r) => r.kind === kind)?.minWindowHours ?? 72;

  async function submit(form: FormData) {
    setBusy(true);
    setError(null);
    const v = (k: string) => String(form.get(k) ?? "");
    const contentByKind: Record<Kind, () => Record<string, unknown>> = {
      release: () => ({
        releaseLineId: v("releaseLineId"),
        name: v("name"),
        version: v("version"),
        artifactUrl: v("artifactUrl"),
        artifactSha256: v("artifactSha256"),
        notes: v("notes"),
      }),
      policy: () => ({ text: v("text") }),
      code_of_conduct: () => ({ text: v("text") }),
      split_policy: () => ({ policyVersionId: v("policyVersionId"), summary: v("summary") }),
      host_admission: () => ({
        hostOrgId: v("hostOrgId"),
        reason: v("reason"),
        // The declaration is pasted as the JSON the host's tooling prints; the server validates every field.
        ...(v("federation").trim() ? { federation: parseJsonField(v("federation"), "Federation declaration") } : {}),
        // The host's transparency-log witness (docs/LOG.md "Witnesses"): its verifier key and URL, or neither.
        ...(v("witnessKey").trim() || v("witnessUrl").trim()
          ? { witness: { verifierKey: v("witnessKey"), url: v("witnessUrl") } }
          : {}),
      }),
      host_removal: () => ({ hostOrgId: v("hostOrgId"), reason: v("reason") }),
      roster_change: () => ({ userId: v("userId"), role: v("role"), change: v("change"), reason: v("reason") }),
      fork: () => ({
        lineName: v("lineName"),
        fromReleaseId: v("fromReleaseId"),
        description: v("description"),
        hostOrgIds: form.getAll("hostOrgIds").map(String),
      }),
      federation_quorum: () => ({
        quorum: v("quorumType") === "count" ? { type: "count", hosts: Number(v("quorumHosts")) } : { type: "majority" },
        reason: v("reason"),
      }),
    };
    try {
      const content = contentByKind[kind]();
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
        <select className="input" name="kind" value={kind} onChange={(e) => setKind(e.target.value as Kind)}>
          {(Object.keys(kindLabels) as Kind[]).map((k) => (
            <option key={k} value={k}>
              {kindLabels[k]}
            </option>
          ))}
        </select>
      </Field>
      <Field label="Title">
        <input className="input" name="title" required minLength={3} maxLength={200} />
      </Field>
      {kind === "release" && (
        <>
          <Field label="Release line">
            <select className="input" name="releaseLineId">
              {choices.releaseLines.map((l) => (
                <option key={l.id} value={l.id}>
                  {l.name}
                </option>
              ))}
            </select>
          </Field>
          <Field label="Name">
            <input className="input" name="name" required />
          </Field>
          <Field label="Version">
            <input className="input" name="version" required placeholder="1.4.0" />
          </Field>
          <Field label="Artifact URL">
            <input className="input" name="artifactUrl" type="url" required />
          </Field>
          <Field label="Artifact SHA-256">
            <input className="input font-mono" name="artifactSha256" required pattern="[0-9a-fA-F]{64}" />
          </Field>
          <Field label="Release notes">
            <textarea className="input" name="notes" rows={4} />
          </Field>
        </>
      )}
      {(kind === "policy" || kind === "code_of_conduct") && (
        <Field label="Proposed text">
          <textarea className="input" name="text" rows={10} required />
        </Field>
      )}
      {kind === "split_policy" && (
        <>
          <Field label="Split-policy version id (from payments)">
            <input className="input" name="policyVersionId" required />
          </Field>
          <Field label="Summary of the change">
            <textarea className="input" name="summary" rows={4} required />
          </Field>
        </>
      )}
      {(kind === "host_admission" || kind === "host_removal") && (
        <>
          <Field label="Host">
            <select className="input" name="hostOrgId">
              {choices.hosts.map((h) => (
                <option key={h.id} value={h.id}>
                  {h.name} ({h.status.toLowerCase()})
                </option>
              ))}
            </select>
          </Field>
          <Field label="Reason">
            <textarea className="input" name="reason" rows={3} required />
          </Field>
          {kind === "host_admission" && (
            <Field label="Federation declaration (JSON: entityId, endpoints, jwks, jurisdiction, provider; leave empty for a host outside the federation)">
              <textarea className="input font-mono text-xs" name="federation" rows={8} />
            </Field>
          )}
          {kind === "host_admission" && (
            <>
              <Field label="Witness verifier key (the host's transparency-log witness: `witness vkey` prints it; optional)">
                <input className="input font-mono text-xs" name="witnessKey" />
              </Field>
              <Field label="Witness URL (where it takes checkpoints, https; optional)">
                <input className="input" name="witnessUrl" type="url" />
              </Field>
            </>
          )}
        </>
      )}
      {kind === "federation_quorum" && (
        <>
          <Field label="Backends open when they see">
            <select className="input" name="quorumType">
              <option value="majority">more than half of the admitted hosts</option>
              <option value="count">a fixed number of admitted hosts</option>
            </select>
          </Field>
          <Field label="Fixed number of hosts (used with a fixed number)">
            <input className="input" name="quorumHosts" type="number" min={1} max={1000} defaultValue={2} />
          </Field>
          <Field label="Reason">
            <textarea className="input" name="reason" rows={3} required />
          </Field>
        </>
      )}
      {kind === "roster_change" && (
        <>
          <Field label="Person">
            <select className="input" name="userId">
              {choices.users.map((u) => (
                <option key={u.id} value={u.id}>
                  {u.name}
                  {u.roles.length ? ` (${u.roles.join(", ").toLowerCase()})` : ""}
                </option>
              ))}
            </select>
          </Field>
          <Field label="Change">
            <select className="input" name="change">
              <option value="grant">grant</option>
              <option value="revoke">revoke</option>
            </select>
          </Field>
          <Field label="Role">
            <select className="input" name="role">
              <option value="MEMBER">member (binding vote)</option>
              <option value="COMMITTER">committer (non-binding vote)</option>
            </select>
          </Field>
          <Field label="Reason">
            <textarea className="input" name="reason" rows={3} required />
          </Field>
        </>
      )}
      {kind === "fork" && (
        <>
          <Field label="New release line name">
            <input className="input" name="lineName" required pattern="[a-z0-9][a-z0-9-]{1,39}" />
          </Field>
          <Field label="Starting from the approved release">
            <select className="input" name="fromReleaseId">
              {choices.releases.map((r) => (
                <option key={r.id} value={r.id}>
                  {r.label}
                </option>
              ))}
            </select>
          </Field>
          <Field label="Description">
            <textarea className="input" name="description" rows={4} required />
          </Field>
          <fieldset className="text-sm">
            <legend className="label">Hosts of the new line</legend>
            {choices.hosts.map((h) => (
              <label key={h.id} className="mr-4">
                <input type="checkbox" name="hostOrgIds" value={h.id} /> {h.name}
              </label>
            ))}
          </fieldset>
        </>
      )}
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
      <button type="submit" className="btn" disabled={busy}>
        {busy ? "Saving…" : "Create proposal"}
      </button>
      {error && (
        <p role="alert" className="text-sm text-red-700" data-testid="form-error">
          {error}
        </p>
      )}
    </form>
  );
}
