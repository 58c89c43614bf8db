import "server-only";
import { db } from "@/lib/db/client";
import { openMailContent } from "@/lib/mail/mail-content";

const fields = {
  id: true,
  to: true,
  template: true,
  sealedContent: true,
  createdAt: true,
  sentAt: true,
  transport: true,
  error: true,
} as const;

type StoredMessage = { sealedContent: string | null } & Record<string, unknown>;

/** A stored message with its content opened (undefined once purged), its sealed form left out. */
export function withOpenedContent<M extends StoredMessage>(message: M) {
  const { sealedContent: _sealed, ...rest } = message;
  return { ...rest, content: openMailContent(message) };
}

/** The newest messages in the mailbox table (dev mailbox page), optionally for one address. */
export async function listMailMessages(input: { to?: string; limit?: number } = {}) {
  const rows = await db().mailMessage.findMany({
    where: input.to ? { to: input.to.trim().toLowerCase() } : undefined,
    orderBy: { createdAt: "desc" },
    take: Math.min(Math.max(input.limit ?? 50, 1), 200),
    select: fields,
  });
  return rows.map(withOpenedContent);
}
