import type { Metadata } from "next";
import { requirePageAccess } from "@/lib/auth/require-page-access";
import { getInvitationByToken } from "@/lib/orgs/get-invitation-by-token";
import { membershipRoleLabels } from "@/lib/orgs/role-labels";
import { ActionForm } from "@/app/action-form";
import { acceptInvitationAction } from "@/app/invitations/[token]/actions";
import { EmailVerification } from "@/app/account/email-verification";

export const metadata: Metadata = { title: "Invitation", referrer: "no-referrer" };

const stateMessages = {
  accepted: "This invitation has already been used.",
  revoked: "This invitation was withdrawn.",
  expired: "This invitation has expired. Ask the organization for a new one.",
} as const;

export default async function InvitationPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const { session } = await requirePageAccess("signed-in", `/invitations/${encodeURIComponent(token)}`);
  const inv = await getInvitationByToken(token);
  if (!inv) {
    return (
      <div className="card max-w-lg" data-testid="invitation-invalid">
        <h1 className="text-xl font-semibold">Invitation not found</h1>
        <p className="mt-2 text-stone-700">This link is not a valid invitation. Check that you copied all of it.</p>
      </div>
    );
  }
  const emailMatches = session.user.email === inv.email;
  const emailUnconfirmed = emailMatches && !session.user.emailVerifiedAt;
  return (
    <div className="card max-w-lg space-y-4" data-testid="invitation">
      <h1 className="text-xl font-semibold">Join {inv.org.name}</h1>
      <p className="text-stone-700">
        You are invited to {inv.org.name} ({inv.org.kind === "THEATER" ? "theater" : "host"}) as{" "}
        {membershipRoleLabels[inv.role]}. The invitation was sent to <strong>{inv.email}</strong>.
      </p>
      {inv.state !== "pending" ? (
        <p className="text-red-700" data-testid="invitation-state">
          {stateMessages[inv.state]}
        </p>
      ) : emailUnconfirmed ? (
        <div className="space-y-3" data-testid="invitation-confirm-email">
          <p className="text-stone-700">
            One step before you can accept: confirm that {inv.email} is yours with the code we emailed to it. This page
            then lets you accept.
          </p>
          <EmailVerification email={inv.email} />
        </div>
      ) : !emailMatches ? (
        <p className="text-red-700" data-testid="invitation-wrong-account">
          You are signed in as {session.user.email}. Sign out and sign in as {inv.email} to accept.
        </p>
      ) : (
        <ActionForm action={acceptInvitationAction} submitLabel="Accept invitation" testId="accept-form">
          <input type="hidden" name="token" value={token} />
        </ActionForm>
      )}
    </div>
  );
}
