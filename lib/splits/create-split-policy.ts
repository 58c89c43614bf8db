import "server-only";
import { db } from "@/lib/db/client";
import { newId } from "@/lib/ids";
import { appendAuditEvent } from "@/lib/audit/append-audit-event";
import type { UserActor } from "@/lib/access/actor";
import { assertPermitted } from "@/lib/access/permission";
import { splitPolicyView } from "@/lib/splits/split-policy-view";
import { splitPolicyInputSchema, type SplitPolicyInput } from "@/lib/splits/split-policy-schema";
import { advisoryLockNames, lockNameForTransaction } from "@/lib/db/advisory-locks";

/**
 * Drafts the next version of a product kind's split in one currency; it splits nothing until activated.
 * Checks, in its transaction: the author holds FINANCE (FORBIDDEN otherwise), the terms add up.
 */
export async function createSplitPolicy({ actor, ...input }: { actor: UserActor } & SplitPolicyInput) {
  const terms = splitPolicyInputSchema.parse(input);
  return db().$transaction(async (tx) => {
    await assertPermitted(tx, actor, { role: "FINANCE" }, { userMessage: "Only finance users draft split policies." });
    // Serializes version numbering per product kind and currency.
    await lockNameForTransaction(tx, advisoryLockNames.splitPolicyVersion(terms.productKind, terms.currency));
    const last = await tx.splitPolicy.findFirst({
      where: { productKind: terms.productKind, currency: terms.currency },
      orderBy: { version: "desc" },
      select: { version: true },
    });
    const policy = await tx.splitPolicy.create({
      data: { id: newId("spl"), ...terms, version: (last?.version ?? 0) + 1, createdById: actor.id },
    });
    await appendAuditEvent(tx, {
      actor,
      action: "split_policy.drafted",
      subject: { type: "split_policy", id: policy.id },
      state: terms,
      data: { productKind: terms.productKind, currency: terms.currency, version: policy.version },
    });
    return splitPolicyView(policy);
  });
}
