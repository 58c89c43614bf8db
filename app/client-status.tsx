/** An OpenID client's review state in words; the stored code stays in data-status for programs and tests. */
export const clientStatusWords: Record<string, string> = {
  pending: "Awaiting an org admin's approval",
  approved: "Approved: signs people in",
  rejected: "Rejected",
  suspended: "Suspended: signs nobody in",
};

export function ClientStatus({ status, testId }: { status: string; testId?: string }) {
  return (
    <span data-testid={testId} data-status={status}>
      {clientStatusWords[status] ?? status}
    </span>
  );
}
