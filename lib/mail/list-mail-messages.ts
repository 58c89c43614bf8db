import { db } from "@/lib/db/client";

/** The newest messages in the mailbox table (dev mailbox page, CLI), optionally for one address. */
export async function listMailMessages(input: { to?: string; limit?: number } = {}) {
  return db().mailMessage.findMany({
    where: input.to ? { to: input.to.trim().toLowerCase() } : undefined,
    orderBy: { createdAt: "desc" },
    take: Math.min(Math.max(input.limit ?? 50, 1), 200),
    select: {
      id: true,
      to: true,
      subject: true,
      text: true,
      template: true,
      createdAt: true,
      sentAt: true,
      transport: true,
      error: true,
    },
  });
}
