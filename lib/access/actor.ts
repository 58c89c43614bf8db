import type { AuditActor } from "@/lib/audit/append-audit-event";

/**
 * Who acts, one shape for every domain:
 * - user: a person, signed in; `token` when they act through a theater API
 *   token (as that theater's admin, for that theater only);
 * - client: an OIDC client or API caller (client credentials);
 * - system: Guildhall itself, by the name of the part that acts (the
 *   operator CLI, the seed, a governance outcome, a provider's webhook).
 */
export type Actor =
  | { type: "user"; id: string; token?: { id: string; orgId: string } }
  | { type: "client"; id: string }
  | { type: "system"; id: string };

export type UserActor = Extract<Actor, { type: "user" }>;

export function userActor(id: string): UserActor {
  return { type: "user", id };
}

export function systemActor(id: string): Actor {
  return { type: "system", id };
}

/**
 * How the audit chain names an actor. A person acting through a theater API
 * token is recorded as that token's client, `<tokenId>:<userId>`, as it
 * always was.
 */
export function auditActorOf(actor: Actor): AuditActor {
  if (actor.type === "user" && actor.token) return { type: "client", id: `${actor.token.id}:${actor.id}` };
  return { type: actor.type, id: actor.id };
}
