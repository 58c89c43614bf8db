import "server-only";
import { cache } from "react";
import { redirect, forbidden } from "next/navigation";
import { getCurrentSession } from "@/lib/auth/get-current-session";
import { getUserAccess } from "@/lib/access/user-access";
import { type Authorized, authorized } from "@/lib/auth/require-access";
import { meets, type Requirement } from "@/lib/access/permission";

/** A user's access, read once per request: the layout's navigation and the page's check share it. */
export const getRequestAccess = cache(getUserAccess);

/**
 * The same check for pages: a signed-out visitor goes to sign-in and comes
 * back; a signed-in user without the role gets the 403 page.
 */
export async function requirePageAccess(requirement: Requirement, returnTo: string): Promise<Authorized> {
  const session = await getCurrentSession();
  if (!session) redirect(`/sign-in?callbackUrl=${encodeURIComponent(returnTo)}`);
  const access = await getRequestAccess(session.userId);
  if (!meets(access, requirement)) forbidden();
  return authorized(session, access);
}
