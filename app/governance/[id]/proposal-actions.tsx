"use client";
import { useState } from "react";
import { useRouter } from "next/navigation";
import { callApi, describeFailure } from "@/app/call-api";
import { Button } from "@/app/button";

/** Opening a draft, or closing a vote whose window has passed. */
export function ProposalAction({
  proposalId,
  action,
  label,
}: {
  proposalId: string;
  action: "open" | "close";
  label: string;
}) {
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  return (
    <div className="flex flex-wrap items-center gap-3">
      <Button
        type="button"
        className="btn-secondary"
        disabled={busy}
        data-testid={`${action}-proposal`}
        onClick={async () => {
          setBusy(true);
          setError(null);
          try {
            await callApi("POST", `/api/governance/proposals/${proposalId}/${action}`, {});
            router.refresh();
          } catch (e) {
            setError(describeFailure(e));
          } finally {
            setBusy(false);
          }
        }}
      >
        {label}
      </Button>
      {error && (
        <span className="text-sm text-red-700" role="alert">
          {error}
        </span>
      )}
    </div>
  );
}
