import "server-only";

const SUFFIX = ", stopped until a manager resumes it once its receiver trusts this Guildhall's webhook keys";

/**
 * Why a subscription that came with an import (a theater's backup, or a whole fork) is stopped: it was active at
 * `origin`, but this Guildhall signs with its own webhook keys, which the receiver must trust first. The one stop a
 * manager may undo (resume-imported-webhook-subscription.ts): one a person or a receiver's 410 made stays, and
 * the URL is subscribed anew.
 */
export const importedStopReason = (origin: string) => `imported from ${origin}${SUFFIX}`;

/** Whether a subscription is stopped by an import, and so may be resumed. */
export function isStoppedByImport(sub: { status: string; disabledReason: string | null }): boolean {
  return (
    sub.status === "disabled" &&
    (sub.disabledReason?.startsWith("imported from ") ?? false) &&
    (sub.disabledReason?.endsWith(SUFFIX) ?? false)
  );
}
