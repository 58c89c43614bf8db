import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { env } from "@/lib/config/env";
import { createSession, endSessionByToken, findSessionByToken, SESSION_TTL_SECONDS } from "@/lib/auth/sessions";
import { verifyEmailCode } from "@/lib/auth/verify-email-code";
import { verifyPasskeySignIn } from "@/lib/auth/verify-passkey-sign-in";
import { log } from "@/lib/log";

type AuthorizeRequest = { headers?: Record<string, string | string[] | undefined> };

function clientOf(req: AuthorizeRequest) {
  const h = req.headers ?? {};
  const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);
  return {
    ipAddress: first(h["x-forwarded-for"])?.split(",")[0]?.trim() || first(h["x-real-ip"]),
    userAgent: first(h["user-agent"]),
  };
}

/**
 * next-auth handles cookies, CSRF and the sign-in/out endpoints. Sessions are
 * ours: the encrypted JWT cookie carries only a session token whose hash is a
 * row in the Session table, so a session can be ended from any instance (sign
 * out here, sign out everywhere) and nothing lives in process memory.
 */
export function nextAuthOptions(): NextAuthOptions {
  const e = env();
  process.env.NEXTAUTH_URL ??= e.publicUrl;
  return {
    secret: e.authSecret,
    session: { strategy: "jwt", maxAge: SESSION_TTL_SECONDS },
    // Secure cookies whenever the portal is served over https (everywhere but localhost).
    useSecureCookies: e.publicUrl.startsWith("https://"),
    pages: { signIn: "/sign-in", error: "/sign-in" },
    providers: [
      CredentialsProvider({
        id: "passkey",
        name: "Passkey",
        credentials: { response: { type: "text" } },
        async authorize(credentials, req) {
          const client = clientOf(req as AuthorizeRequest);
          const user = await verifyPasskeySignIn({ responseJson: credentials?.response ?? "", ipAddress: client.ipAddress });
          const sessionToken = await createSession({ userId: user.id, authMethod: "passkey", ...client });
          return { id: user.id, email: user.email, name: user.name, sessionToken };
        },
      }),
      CredentialsProvider({
        id: "email-code",
        name: "Email code",
        credentials: { email: { type: "email" }, code: { type: "text" } },
        async authorize(credentials, req) {
          const client = clientOf(req as AuthorizeRequest);
          const user = await verifyEmailCode({ email: credentials?.email ?? "", code: credentials?.code ?? "", ipAddress: client.ipAddress });
          const sessionToken = await createSession({ userId: user.id, authMethod: "email_code", ...client });
          return { id: user.id, email: user.email, name: user.name, sessionToken };
        },
      }),
    ],
    callbacks: {
      async jwt({ token, user }) {
        if (user && "sessionToken" in user) token.sessionToken = user.sessionToken as string;
        return token;
      },
      // Consulted by /api/auth/session too: a session ended in the database
      // (elsewhere, or everywhere) reads as signed out, not as the stale cookie says.
      async session({ session, token }) {
        const sessionToken = token.sessionToken as string | undefined;
        if (!sessionToken || !(await findSessionByToken(sessionToken))) return {} as typeof session;
        return { ...session, sessionToken };
      },
    },
    events: {
      async signOut({ token }) {
        if (token?.sessionToken) await endSessionByToken(token.sessionToken as string);
      },
    },
    logger: {
      error: (code, metadata) => log.warn({ code, metadata: metadata instanceof Error ? metadata.message : undefined }, "next-auth"),
      warn: (code) => log.debug({ code }, "next-auth"),
      debug: () => {},
    },
  };
}
