"use client";
import { useState } from "react";
import { useRouter } from "next/navigation";
import { callApi, describeFailure } from "@/app/call-api";

/** A host operator declares the approved release their host runs (PUT /api/governance/hosts/ORG/release). */
export function DeclareReleaseForm({
  hosts,
  releases,
}: {
  hosts: { id: string; name: string }[];
  releases: { id: string; label: string }[];
}) {
  const router = useRouter();
  const [message, setMessage] = useState<string | null>(null);
  async function submit(form: FormData) {
    setMessage(null);
    try {
      await callApi("PUT", `/api/governance/hosts/${String(form.get("hostOrgId"))}/release`, {
        releaseId: String(form.get("releaseId")),
      });
      setMessage("Declared.");
      router.refresh();
    } catch (e) {
      setMessage(describeFailure(e));
    }
  }
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        void submit(new FormData(e.currentTarget));
      }}
      className="card flex flex-wrap items-end gap-3 text-sm"
      data-testid="declare-release-form"
    >
      <label>
        Host
        <select className="input" name="hostOrgId">
          {hosts.map((h) => (
            <option key={h.id} value={h.id}>
              {h.name}
            </option>
          ))}
        </select>
      </label>
      <label>
        Runs release
        <select className="input" name="releaseId">
          {releases.map((r) => (
            <option key={r.id} value={r.id}>
              {r.label}
            </option>
          ))}
        </select>
      </label>
      <button type="submit" className="btn-secondary" disabled={releases.length === 0}>
        Declare
      </button>
      {message && <span role="status">{message}</span>}
    </form>
  );
}
