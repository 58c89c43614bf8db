import "server-only";
import { cache } from "react";
import { cookies } from "next/headers";
import { decode } from "next-auth/jwt";
import { env } from "@/lib/config/env";
import { findSessionByToken } from "@/lib/auth/sessions";
import { sessionCookieName } from "@/lib/auth/cookie-policy";
import { AppError } from "@/lib/errors/app-error";

export { sessionCookieName };

/**
 * The signed-in session of this request: next-auth's encrypted cookie is
 * decoded here and the session token it carries is looked up in the database
 * every time, so a session ended elsewhere is ended here too. Null when
 * signed out. Memoised per request (React's cache), since the layout and the
 * page of one render both ask.
 */
export const getCurrentSession = cache(async function getCurrentSession() {
  const raw = (await cookies()).get(sessionCookieName())?.value;
  if (!raw) return null;
  const token = await decode({ token: raw, secret: env().authSecret }).catch(() => null);
  const sessionToken = token?.sessionToken;
  if (typeof sessionToken !== "string") return null;
  return findSessionByToken(sessionToken);
});

export type CurrentSession = NonNullable<Awaited<ReturnType<typeof getCurrentSession>>>;

/** The session, or UNAUTHENTICATED. For route handlers and server actions. */
export async function requireSession(): Promise<CurrentSession> {
  const session = await getCurrentSession();
  if (!session) throw new AppError("UNAUTHENTICATED", { userMessage: "Sign in first." });
  return session;
}
