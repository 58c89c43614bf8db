import "server-only";
import { z } from "zod";
import { db } from "@/lib/db/client";
import { sha256Hex } from "@/lib/crypto/hash";

export const invitationTokenSchema = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9_-]{20,100}$/, "This invitation link is malformed.");

export type InvitationState = "pending" | "accepted" | "revoked" | "expired";

/**
 * The invitation a link names, for the accept page: its organization, the
 * address it was sent to and its state. Null when no invitation has this
 * token. Looked up by the token's hash, so the token itself is never stored.
 */
export async function getInvitationByToken(token: string) {
  const parsed = invitationTokenSchema.safeParse(token);
  if (!parsed.success) return null;
  const inv = await db().invitation.findUnique({
    where: { tokenHash: sha256Hex(parsed.data) },
    include: { org: { select: { id: true, slug: true, name: true, kind: true, status: true } } },
  });
  if (!inv) return null;
  const { tokenHash: _hidden, ...rest } = inv;
  return { ...rest, state: invitationState(inv) };
}

export function invitationState(
  inv: { acceptedAt: Date | null; revokedAt: Date | null; expiresAt: Date },
  now = new Date(),
): InvitationState {
  if (inv.acceptedAt) return "accepted";
  if (inv.revokedAt) return "revoked";
  if (inv.expiresAt <= now) return "expired";
  return "pending";
}
