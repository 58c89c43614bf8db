import "server-only";
import type { NextAuthOptions, User as NextAuthUser } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { ZodError } from "zod";
import { env } from "@/lib/config/env";
import { isAppError } from "@/lib/errors/app-error";
import {
  createSession,
  endSessionByToken,
  findSessionByToken,
  SESSION_TTL_SECONDS,
  type AuthMethod,
} from "@/lib/auth/sessions";
import { metrics } from "@/lib/ops/metrics";
import { verifyEmailCode } from "@/lib/auth/verify-email-code";
import { verifyPasskeySignIn } from "@/lib/auth/verify-passkey-sign-in";
import { completeSignUp } from "@/lib/auth/complete-sign-up";
import { encodeSignInError } from "@/lib/auth/sign-in-error";
import { cookiesAreSecure } from "@/lib/auth/cookie-policy";
import { log } from "@/lib/log";
import { clientAddressOf } from "@/lib/http/client-address";
import { signInBindingOf } from "@/lib/auth/sign-in-binding";

type AuthorizeRequest = { headers?: Record<string, string | string[] | undefined> };
type Client = { ipAddress?: string; userAgent?: string; signInBinding?: string };

function clientOf(req: AuthorizeRequest): Client {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers ?? {})) {
    if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(", ") : value);
  }
  return {
    ipAddress: clientAddressOf(headers),
    userAgent: headers.get("user-agent") ?? undefined,
    signInBinding: signInBindingOf(headers.get("cookie")),
  };
}

/**
 * Runs one sign-in: the domain check, then a session row. Failures become an
 * Error whose message carries our `{ code, message }` (see sign-in-error.ts),
 * since that message is all next-auth passes to the browser; anything
 * unexpected is logged here and shown as a generic failure.
 */
async function signInWith(
  req: unknown,
  method: AuthMethod,
  check: (client: Client) => Promise<{ id: string; email: string; name: string | null }>,
): Promise<NextAuthUser> {
  const client = clientOf(req as AuthorizeRequest);
  try {
    const user = await check(client);
    const sessionToken = await createSession({
      userId: user.id,
      authMethod: method,
      ipAddress: client.ipAddress,
      userAgent: client.userAgent,
    });
    return { id: user.id, email: user.email, name: user.name, sessionToken } as NextAuthUser;
  } catch (e) {
    metrics().signInFailures.inc({
      method,
      code: isAppError(e) ? e.code : e instanceof ZodError ? "VALIDATION_FAILED" : "INTERNAL",
    });
    if (isAppError(e)) throw new Error(encodeSignInError({ code: e.code, message: e.userMessage, reason: e.reason }));
    if (e instanceof ZodError)
      throw new Error(
        encodeSignInError({ code: "VALIDATION_FAILED", message: e.issues[0]?.message ?? "Invalid input." }),
      );
    log.error({ err: e instanceof Error ? e.message : String(e), method }, "sign-in failed unexpectedly");
    throw new Error(encodeSignInError({ code: "INTERNAL", message: "Sign-in failed on our side. Try again." }));
  }
}

/**
 * next-auth handles cookies, CSRF and the sign-in/out endpoints. Sessions are
 * ours: the encrypted JWT cookie carries only a session token whose hash is a
 * row in the Session table, so a session can be ended from any instance (sign
 * out here, sign out everywhere) and nothing lives in process memory.
 *
 * Three ways in: "passkey" (an assertion from any discoverable passkey),
 * "email-code" (the mailed one-time code, also the recovery path), and
 * "passkey-sign-up" (a new account's first passkey, which signs the person
 * in without a second passkey prompt).
 */
export function nextAuthOptions(): NextAuthOptions {
  const e = env();
  process.env.NEXTAUTH_URL ??= e.publicUrl;
  return {
    secret: e.authSecret,
    session: { strategy: "jwt", maxAge: SESSION_TTL_SECONDS },
    useSecureCookies: cookiesAreSecure(),
    pages: { signIn: "/sign-in", error: "/sign-in" },
    providers: [
      CredentialsProvider({
        id: "passkey",
        name: "Passkey",
        credentials: { response: { type: "text" } },
        authorize: (credentials, req) =>
          signInWith(req, "passkey", (client) =>
            verifyPasskeySignIn({ responseJson: credentials?.response ?? "", ipAddress: client.ipAddress }),
          ),
      }),
      CredentialsProvider({
        id: "email-code",
        name: "Email code",
        credentials: { email: { type: "email" }, code: { type: "text" }, createAccount: { type: "text" } },
        authorize: (credentials, req) =>
          signInWith(req, "email_code", (client) =>
            verifyEmailCode({
              email: credentials?.email ?? "",
              code: credentials?.code ?? "",
              binding: client.signInBinding,
              createAccount: credentials?.createAccount === "true",
              ipAddress: client.ipAddress,
            }),
          ),
      }),
      CredentialsProvider({
        id: "passkey-sign-up",
        name: "New account with a passkey",
        credentials: { email: { type: "email" }, name: { type: "text" }, response: { type: "text" } },
        authorize: (credentials, req) =>
          signInWith(req, "passkey", (client) =>
            completeSignUp({
              email: credentials?.email ?? "",
              name: credentials?.name ?? "",
              responseJson: credentials?.response ?? "",
              ipAddress: client.ipAddress,
              userAgent: client.userAgent,
            }),
          ),
      }),
    ],
    callbacks: {
      async jwt({ token, user }) {
        if (user && "sessionToken" in user) token.sessionToken = user.sessionToken as string;
        return token;
      },
      // Consulted by /api/auth/session too: a session ended in the database
      // (elsewhere, or everywhere) reads as signed out, not as the stale cookie says.
      // What it returns is read by the page's JavaScript, so the session token stays
      // out of it: the token lives only in the HttpOnly cookie, where a script
      // injected into a page cannot read it and replay the session from elsewhere.
      async session({ session, token }) {
        const sessionToken = token.sessionToken as string | undefined;
        const live = sessionToken ? await findSessionByToken(sessionToken) : null;
        if (!live) return {} as typeof session;
        return {
          user: { email: live.user.email, name: live.user.name },
          expires: session.expires,
        } as typeof session;
      },
    },
    events: {
      async signOut({ token }) {
        if (token?.sessionToken) await endSessionByToken(token.sessionToken as string);
      },
    },
    logger: {
      error: (code, metadata) =>
        log.warn({ code, metadata: metadata instanceof Error ? metadata.message : undefined }, "next-auth"),
      warn: (code) => log.debug({ code }, "next-auth"),
      debug: () => {},
    },
  };
}
