import "server-only";
import { db } from "@/lib/db/client";
import { env } from "@/lib/config/env";
import { AppError } from "@/lib/errors/app-error";
import { newId } from "@/lib/ids";
import { appendAuditEvent } from "@/lib/audit/append-audit-event";
import type { Actor } from "@/lib/access/actor";
import { setOrganizationStatus } from "@/lib/orgs/set-organization-status";
import { recordHostWitness } from "@/lib/transparency/witnesses/set-host-witness";
import { witnessDeclarationSchema } from "@/lib/transparency/witnesses/witness-declaration";

const actor: Actor = { type: "system", id: "demo-witnesses" };

/**
 * For a laptop or a test (`npm run witnesses`; never in production): makes
 * the given witnesses the witnesses of as many admitted hosts, admitting
 * demo host organizations directly (no vote) when there are not enough, and
 * leaving a host whose witness is already the one given as it is. Every
 * change is audited like the real acts.
 */
export async function seedDemoWitnesses(declarations: { verifierKey: string; url: string }[]) {
  if (env().production)
    throw new AppError("FORBIDDEN", {
      userMessage: "Demo witnesses are for development; in production a host's witness is set by an org admin.",
      reason: "NOT_IN_PRODUCTION",
    });
  const parsed = declarations.map((d) => witnessDeclarationSchema.parse(d));
  return db().$transaction(
    async (tx) => {
      const hosts = await tx.organization.findMany({
        where: { kind: "HOST", status: "ACTIVE" },
        orderBy: { createdAt: "asc" },
        select: { id: true },
      });
      for (let k = hosts.length; k < parsed.length; k++) {
        const slug = `demo-witness-host-${k + 1}-${newId("x").slice(2, 8).toLowerCase()}`;
        const org = await tx.organization.create({
          data: { id: newId("org"), slug, name: `Demo witness host ${k + 1}`, kind: "HOST", status: "PENDING" },
        });
        await appendAuditEvent(tx, {
          actor,
          action: "organization.created",
          subject: { type: "organization", id: org.id },
          state: { slug, name: org.name, kind: "HOST", status: "PENDING" },
          data: { slug, kind: "HOST", status: "PENDING" },
        });
        await setOrganizationStatus(tx, { orgId: org.id, status: "ACTIVE", actor });
        hosts.push({ id: org.id });
      }
      const set = [];
      for (const [i, declaration] of parsed.entries()) {
        const hostOrgId = hosts[i].id;
        const current = await tx.logWitness.findFirst({ where: { hostOrgId, retiredAt: null } });
        if (current?.verifierKey === declaration.verifierKey && current.url === declaration.url) {
          set.push({ hostOrgId, witnessId: current.id, name: current.name, changed: false });
          continue;
        }
        const w = await recordHostWitness(tx, { hostOrgId, declaration, cause: "demo witnesses", actor });
        set.push({ hostOrgId, ...w, changed: true });
      }
      return set;
    },
    { timeout: 30_000, maxWait: 30_000 },
  );
}
