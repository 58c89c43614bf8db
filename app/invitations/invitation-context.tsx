import { getInvitationByToken } from "@/lib/orgs/get-invitation-by-token";
import { membershipRoleLabels } from "@/lib/orgs/role-labels";

/**
 * On the sign-in and sign-up pages, when they were opened from an invitation
 * link (the return path is /invitations/<token>): what the invitation is and
 * which address to use, so the person knows why they are asked to sign in.
 * The link itself is the secret, so whoever holds it may read this.
 */
export async function InvitationContext({ callbackPath }: { callbackPath: string }) {
  const match = /^\/invitations\/([A-Za-z0-9_-]{20,100})$/.exec(callbackPath);
  if (!match) return null;
  const inv = await getInvitationByToken(match[1]);
  if (inv?.state !== "pending") return null;
  return (
    <div className="rounded-md border border-stone-300 bg-white p-4 text-sm" data-testid="invitation-context">
      <p className="font-medium">
        You are invited to join {inv.org.name} as {membershipRoleLabels[inv.role]}.
      </p>
      <p className="mt-1 text-stone-700">
        Sign in with <strong>{inv.email}</strong>, or create an account with that address, to accept the invitation.
      </p>
    </div>
  );
}
