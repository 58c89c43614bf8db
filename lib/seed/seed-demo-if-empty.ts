import "server-only";
import { db } from "@/lib/db/client";
import { newId } from "@/lib/ids";
import { appendAuditEvent } from "@/lib/audit/append-audit-event";
import { demoAccounts } from "@/lib/seed/demo-accounts";
import { seedDefaultSplitPolicies } from "@/lib/splits/seed-default-split-policies";
import type { GlobalRole, MembershipRole, OrgKind } from "@/lib/generated/prisma/client";
import { advisoryLockIds, lockForTransaction } from "@/lib/db/advisory-locks";

/**
 * On an empty database, makes the demo organization: an admin, three members,
 * two finance users (payouts and large refunds take two approvers), a theater with its admin and a host with its operator. The
 * accounts have no passkeys yet: they sign in with an email code (the code is
 * in the dev mailbox) and add one. Returns whether it seeded.
 */
export async function seedDemoIfEmpty(): Promise<boolean> {
  // A few dozen statements in one transaction: on a busy machine they took longer than Prisma's default 5 s, and
  // the portal then refused to start ("expired transaction"); hence the explicit timeout below.
  return db().$transaction(
    async (tx) => {
      await lockForTransaction(tx, advisoryLockIds.demoSeed);
      if ((await tx.user.count()) > 0) return false;
      const actor = { type: "system" as const, id: "seed" };
      const now = new Date();

      async function user(p: { email: string; name: string }, roles: GlobalRole[] = []) {
        const u = await tx.user.create({
          data: { id: newId("usr"), email: p.email, name: p.name, emailVerifiedAt: now },
        });
        await appendAuditEvent(tx, {
          actor,
          action: "user.created",
          subject: { type: "user", id: u.id },
          state: { email: u.email, name: u.name },
          data: { via: "seed" },
        });
        for (const role of roles) {
          await tx.userRole.create({ data: { userId: u.id, role, grantedBy: "seed" } });
          await appendAuditEvent(tx, {
            actor,
            action: "role.granted",
            subject: { type: "user", id: u.id },
            state: { role },
            data: { role },
          });
        }
        return u;
      }
      async function org(
        p: { slug: string; name: string },
        kind: OrgKind,
        member: { id: string },
        role: MembershipRole,
      ) {
        const o = await tx.organization.create({ data: { id: newId("org"), slug: p.slug, name: p.name, kind } });
        await appendAuditEvent(tx, {
          actor,
          action: "organization.created",
          subject: { type: "organization", id: o.id },
          state: { slug: o.slug, name: o.name, kind },
          data: { kind },
        });
        await tx.membership.create({ data: { orgId: o.id, userId: member.id, role } });
        await appendAuditEvent(tx, {
          actor,
          action: "membership.granted",
          subject: { type: "organization", id: o.id },
          state: { userId: member.id, role },
          data: { userId: member.id, role },
        });
      }

      await user(demoAccounts.admin, ["ORG_ADMIN", "MEMBER"]);
      for (const m of demoAccounts.members) await user(m, ["MEMBER"]);
      await user(demoAccounts.finance, ["FINANCE"]);
      await user(demoAccounts.finance2, ["FINANCE"]);
      await org(demoAccounts.theater, "THEATER", await user(demoAccounts.theaterAdmin), "THEATER_ADMIN");
      await org(demoAccounts.host, "HOST", await user(demoAccounts.hostOperator), "HOST_OPERATOR");
      await seedDefaultSplitPolicies(tx);
      return true;
    },
    { timeout: 60_000, maxWait: 30_000 },
  );
}
