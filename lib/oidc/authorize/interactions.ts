import "server-only";
import { db } from "@/lib/db/client";
import { randomToken } from "@/lib/crypto/hash";
import { oidcTtl, secretBytes } from "@/lib/oidc/config";
import type { InteractionState } from "@/lib/oidc/authorize/decide-authorization";

export type Interaction = { id: string; createdAt: Date; state: InteractionState };

/** Saves an authorization request that waits for the user; its unguessable id is all the browser carries. */
export async function saveInteraction(state: InteractionState, existing?: Interaction): Promise<Interaction> {
  if (existing) {
    await db().oidcInteraction.update({ where: { id: existing.id }, data: { params: state as object } });
    return { ...existing, state };
  }
  const row = await db().oidcInteraction.create({
    data: {
      id: `int_${randomToken(secretBytes.interaction)}`,
      clientId: state.request.clientId,
      params: state as object,
      expiresAt: new Date(Date.now() + oidcTtl.interactionSeconds * 1000),
    },
  });
  return { id: row.id, createdAt: row.createdAt, state };
}

/** A live interaction by id, or null when unknown or expired. */
export async function findInteraction(id: string): Promise<Interaction | null> {
  const row = await db().oidcInteraction.findUnique({ where: { id } });
  if (!row || row.expiresAt < new Date()) return null;
  return { id: row.id, createdAt: row.createdAt, state: row.params as unknown as InteractionState };
}

export async function endInteraction(id: string): Promise<void> {
  await db().oidcInteraction.deleteMany({ where: { id } });
}
