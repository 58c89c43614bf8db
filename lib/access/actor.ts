import type { UserAccess } from "@/lib/access/user-access";

/**
 * Who acts, one shape for every domain and for the audit chain:
 * - user: a person, signed in; `token` when they act through a theater API
 *   token (as that theater's admin, for that theater only);
 * - client: an OIDC client or API caller (client credentials);
 * - system: Guildhall itself, always by the name of the part that acts
 *   (`cli`, `seed`, `outbox`, `governance-sweep`, `payouts`, a provider's
 *   webhook, `signing-key-first-use`), so the audit trail says which process
 *   acted; `systemActor(name)` builds one.
 * A user built at the edge by `requireAccess` carries the `access` it read
 * (roles and memberships), for deciding what a page shows. A domain
 * operation never trusts it: it checks inside its transaction with
 * `assertPermitted` (lib/access/permission.ts), so a role revoked a moment
 * earlier is already gone.
 */
export type Actor =
  | { type: "user"; id: string; token?: { id: string; orgId: string }; access?: UserAccess }
  | { type: "client"; id: string }
  | { type: "system"; id: string };

export type UserActor = Extract<Actor, { type: "user" }>;
export type SystemActor = Extract<Actor, { type: "system" }>;

export function userActor(id: string): UserActor {
  return { type: "user", id };
}

export function systemActor(id: string): SystemActor {
  return { type: "system", id };
}

/** The operator CLI, which holds every right because it already holds the database. */
export const cliActor: SystemActor = { type: "system", id: "cli" };

/**
 * How the audit chain names an actor. A person acting through a theater API
 * token is recorded as that token's client, `<tokenId>:<userId>`, as it
 * always was; appendAuditEvent applies this itself.
 */
export function auditActorOf(actor: Actor): Actor {
  if (actor.type === "user" && actor.token) return { type: "client", id: `${actor.token.id}:${actor.id}` };
  return actor.type === "user" ? { type: "user", id: actor.id } : actor;
}
