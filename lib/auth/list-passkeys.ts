import "server-only";
import { db } from "@/lib/db/client";

/** The user's passkeys for the account page: labels, times and credential ids (public), never key material. */
export async function listPasskeys(userId: string) {
  return db().passkey.findMany({
    where: { userId },
    orderBy: { createdAt: "asc" },
    select: {
      id: true,
      credentialId: true,
      name: true,
      createdAt: true,
      lastUsedAt: true,
      deviceType: true,
      backedUp: true,
    },
  });
}

export type PasskeySummary = Awaited<ReturnType<typeof listPasskeys>>[number];
