"use client";
import { useActionState } from "react";
import { useFormStatus } from "react-dom";
import type { ActionResult } from "@/app/action-result";

function Submit({ label, variant }: { label: string; variant: "primary" | "secondary" }) {
  const { pending } = useFormStatus();
  return (
    <button type="submit" className={variant === "primary" ? "btn" : "btn-secondary"} disabled={pending}>
      {pending ? "Working…" : label}
    </button>
  );
}

/**
 * A form posting to a server action, showing its answer: the error message
 * (data-testid="form-error", with the error code) or the success message.
 */
export function ActionForm(props: {
  action: (prev: ActionResult, formData: FormData) => Promise<ActionResult>;
  submitLabel: string;
  variant?: "primary" | "secondary";
  className?: string;
  testId?: string;
  children?: React.ReactNode;
}) {
  const [result, formAction] = useActionState(props.action, null);
  return (
    <form action={formAction} className={props.className ?? "space-y-3"} data-testid={props.testId}>
      {props.children}
      <Submit label={props.submitLabel} variant={props.variant ?? "primary"} />
      {result && !result.ok && (
        <p role="alert" className="text-sm text-red-700" data-testid="form-error" data-code={result.error.code}>
          {result.error.message}
        </p>
      )}
      {result?.ok && (
        <p role="status" className="text-sm text-green-800" data-testid="form-success">
          {result.message}
        </p>
      )}
    </form>
  );
}
