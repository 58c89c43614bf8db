"use client";
import { useId, useRef, useState } from "react";
import { useRouter } from "next/navigation";
import type { ActionResult } from "@/app/action-result";
import { Button } from "@/app/button";
import { announce } from "@/app/notice";
import { describeFailure } from "@/app/call-api";

/**
 * A client-side act (a call to our JSON API) in the shape ConfirmWithReason
 * takes: its success message, or the API's refusal to show in the dialog.
 */
export async function clientAct(run: () => Promise<string>): Promise<ActionResult> {
  try {
    return { ok: true, message: await run() };
  } catch (e) {
    return { ok: false, error: { code: "REFUSED", message: describeFailure(e) } };
  }
}

/** At least this many characters of reason: enough to say why, never a stray keystroke. */
export const reasonMinLength = 5;

/**
 * The one way to run an act that cannot be undone (or moves money): a button
 * that opens a dialog saying what will happen, asks for a typed reason and a
 * second click; the reason goes to the server with `fields`, and the server
 * records it in the audit chain. The result is announced at the top of the
 * page (app/notice.tsx) and the page refreshed; a refusal stays in the dialog.
 * `action` is a server action, or a client function of the same shape.
 */
export function ConfirmWithReason(props: {
  triggerLabel: string;
  title: string;
  consequence: React.ReactNode;
  confirmLabel: string;
  action: (prev: ActionResult, formData: FormData) => Promise<ActionResult>;
  fields?: Record<string, string>;
  reasonLabel?: string;
  testId?: string;
  onDone?: (message: string) => void;
  /** More fields of the act, asked in the dialog before the reason (the role to grant). */
  children?: React.ReactNode;
}) {
  const router = useRouter();
  const dialog = useRef<HTMLDialogElement>(null);
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const id = useId();

  async function confirm(form: FormData) {
    setError(null);
    setPending(true);
    for (const [k, v] of Object.entries(props.fields ?? {})) form.set(k, v);
    try {
      const result = await props.action(null, form);
      if (!result?.ok) {
        setError(result && !result.ok ? result.error.message : "Something went wrong. Try again.");
        return;
      }
      dialog.current?.close();
      announce(result.message);
      props.onDone?.(result.message);
      router.refresh();
    } catch {
      setError("The request did not reach Guildhall. Check your connection and try again.");
    } finally {
      setPending(false);
    }
  }

  return (
    <span data-testid={props.testId}>
      <Button
        type="button"
        className="btn-secondary"
        onClick={() => {
          setError(null);
          dialog.current?.showModal();
        }}
      >
        {props.triggerLabel}
      </Button>
      <dialog
        ref={dialog}
        aria-labelledby={`${id}-title`}
        className="m-auto w-[min(32rem,calc(100vw-2rem))] rounded-lg p-6 shadow-xl backdrop:bg-black/40"
      >
        <form action={confirm} className="space-y-4">
          <h2 id={`${id}-title`} className="text-lg font-semibold">
            {props.title}
          </h2>
          <div className="text-sm text-stone-700">{props.consequence}</div>
          {props.children && <div>{props.children}</div>}
          <div>
            <label className="label" htmlFor={`${id}-reason`}>
              {props.reasonLabel ?? "Reason (kept in the audit log)"}
            </label>
            <textarea
              id={`${id}-reason`}
              name="reason"
              className="input"
              rows={3}
              required
              minLength={reasonMinLength}
              maxLength={500}
            />
          </div>
          {error && (
            <p role="alert" className="text-sm text-red-700" data-testid="confirm-error">
              {error}
            </p>
          )}
          <div className="flex flex-wrap justify-end gap-3">
            <button type="button" className="btn-secondary" onClick={() => dialog.current?.close()}>
              Cancel
            </button>
            <button type="submit" className="btn bg-red-800" disabled={pending}>
              {pending ? "Working…" : props.confirmLabel}
            </button>
          </div>
        </form>
      </dialog>
    </span>
  );
}
