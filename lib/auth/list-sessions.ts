import "server-only";
import { db } from "@/lib/db/client";
import { describeUserAgent } from "@/lib/auth/describe-user-agent";

/**
 * The user's live sessions for the account page, newest activity first, with
 * the current one marked. Token hashes are never selected.
 */
export async function listSessions(input: { userId: string; currentSessionId?: string }) {
  const rows = await db().session.findMany({
    where: { userId: input.userId, expiresAt: { gt: new Date() } },
    orderBy: { lastSeenAt: "desc" },
    select: {
      id: true,
      authMethod: true,
      createdAt: true,
      lastSeenAt: true,
      expiresAt: true,
      userAgent: true,
      ipAddress: true,
    },
  });
  return rows.map((s) => ({ ...s, device: describeUserAgent(s.userAgent), current: s.id === input.currentSessionId }));
}

export type SessionSummary = Awaited<ReturnType<typeof listSessions>>[number];
