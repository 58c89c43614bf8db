import { getServerSession } from "next-auth/next";
import { nextAuthOptions } from "@/lib/auth/next-auth-options";
import { findSessionByToken } from "@/lib/auth/sessions";
import { AppError } from "@/lib/errors/app-error";

/**
 * The signed-in session of this request, checked against the database every
 * time, so a session ended elsewhere is ended here too. Null when signed out.
 */
export async function getCurrentSession() {
  const session = (await getServerSession(nextAuthOptions())) as { sessionToken?: string } | null;
  if (!session?.sessionToken) return null;
  return findSessionByToken(session.sessionToken);
}

export type CurrentSession = NonNullable<Awaited<ReturnType<typeof getCurrentSession>>>;

/** The session, or UNAUTHENTICATED. For route handlers and server actions. */
export async function requireSession(): Promise<CurrentSession> {
  const session = await getCurrentSession();
  if (!session) throw new AppError("UNAUTHENTICATED", { userMessage: "Sign in first." });
  return session;
}
