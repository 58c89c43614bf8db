import "server-only";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { appendAuditEvent } from "@/lib/audit/append-audit-event";
import { assertPermitted } from "@/lib/access/permission";
import { auditActorOf, type UserActor } from "@/lib/access/actor";
import { parseMoney } from "@/lib/money/parse-money";
import type { hostLineCostSchema } from "@/lib/funding/funding-input";
import type { z } from "zod";

/**
 * A host operator declares what running a release line costs their host a month; a line's funding coverage
 * is measured against the sum of its hosts' declared costs. Only an operator of that host, and only for a
 * line the host declared it runs.
 */
export async function declareHostLineCost({
  actor,
  ...input
}: { actor: UserActor } & z.output<typeof hostLineCostSchema>) {
  const parsed = parseMoney(input.monthlyCost, input.currency);
  if (!parsed.ok || parsed.money.amountMinor > 99_999_999_999n)
    throw new AppError("VALIDATION_FAILED", {
      userMessage: `The monthly cost must be ${parsed.ok ? "at most 999,999,999.99" : parsed.message}.`,
      reason: "AMOUNT_INVALID",
    });
  return db().$transaction(async (tx) => {
    const host = await tx.organization.findUnique({
      where: { slug: input.hostSlug },
      select: { id: true, kind: true },
    });
    if (host?.kind !== "HOST")
      throw new AppError("NOT_FOUND", { userMessage: "No such host.", reason: "UNKNOWN_HOST" });
    await assertPermitted(
      tx,
      actor,
      { membership: "HOST_OPERATOR", orgId: host.id },
      { userMessage: "Only an operator of this host declares its costs.", reason: "NOT_HOST_OPERATOR" },
    );
    const declaration = await tx.hostReleaseDeclaration.findUnique({
      where: { hostOrgId_releaseLineId: { hostOrgId: host.id, releaseLineId: input.releaseLineId } },
    });
    if (!declaration)
      throw new AppError("CONFLICT", {
        userMessage: "This host has not declared that it runs this release line.",
        reason: "NOT_RUNNING_LINE",
      });
    await tx.hostReleaseDeclaration.update({
      where: { hostOrgId_releaseLineId: { hostOrgId: host.id, releaseLineId: input.releaseLineId } },
      data: { monthlyCostMinor: parsed.money.amountMinor, costCurrency: parsed.money.currency },
    });
    await appendAuditEvent(tx, {
      actor: auditActorOf(actor),
      action: "host_line_cost.declared",
      subject: { type: "organization", id: host.id },
      state: { releaseLineId: input.releaseLineId, monthlyCostMinor: String(parsed.money.amountMinor) },
      data: {
        releaseLineId: input.releaseLineId,
        monthlyCostMinor: String(parsed.money.amountMinor),
        currency: parsed.money.currency,
      },
    });
    return { monthlyCostMinor: parsed.money.amountMinor, currency: parsed.money.currency };
  });
}
