import "server-only";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { createPendingLicense } from "@/lib/licensing/create-pending-license";
import { createCheckout } from "@/lib/payments/create-checkout";
import { licenseState } from "@/lib/licensing/license-state";
import { minorUnitsAsNumber } from "@/lib/money/money";
import { assertTheaterAdmin } from "@/lib/licensing/license-actor";
import type { UserActor } from "@/lib/access/actor";
import { auditActorOf } from "@/lib/access/actor";
import { advisoryLockNames, lockNameForTransaction } from "@/lib/db/advisory-locks";

export type LicensePurchase =
  | { theaterOrgId: string; planId: string; actor: UserActor } // a new license
  | { licenseId: string; actor: UserActor }; // pay for a pending license, or renew one

/**
 * Opens the payments checkout for a license. A new purchase first records
 * the license as pending payment (so the order can name it), unless the
 * theater already has one of that plan waiting for payment: buying the same
 * plan again (a double click, a second tab, another admin) is the same
 * purchase, so it returns that license's checkout. Paying the same pending
 * license again returns the same checkout (idempotency key per license, in
 * the theater's scope, whichever admin asks), and a renewal of a license that is active or expired is keyed by
 * its current end, so a double click does not open two checkouts for one
 * term. The price is the plan's, computed here, never sent by the browser.
 * The license becomes active when payments calls activateLicenseForPaidOrder.
 */
export async function startLicensePurchase(input: LicensePurchase) {
  const license =
    "planId" in input
      ? await createPendingLicenseOfTheater(input)
      : await db().license.findUnique({ where: { id: input.licenseId } });
  if (!license) throw new AppError("NOT_FOUND", { reason: "LICENSE_NOT_FOUND", userMessage: "No such license." });
  if (!("planId" in input)) await assertTheaterAdmin(db(), input.actor, license.theaterOrgId);
  const state = licenseState(license);
  if (state === "suspended" || state === "revoked")
    throw new AppError("CONFLICT", {
      reason: `LICENSE_${state.toUpperCase() as Uppercase<typeof state>}` as const,
      userMessage: `A ${state} license cannot be renewed.`,
    });
  const plan = await db().licensePlan.findUniqueOrThrow({ where: { id: license.planId } });
  const theater = await db().organization.findUniqueOrThrow({
    where: { id: license.theaterOrgId },
    select: { name: true },
  });
  const renewal = state !== "pending_payment";
  const checkout = await createCheckout({
    productKind: "LICENSE_SALE",
    theaterOrgId: license.theaterOrgId,
    description: `${renewal ? "Renewal of the" : "The"} ${plan.name} license of ${theater.name}`,
    lineItems: [
      {
        name: `${plan.name}, ${license.termDays} days`,
        quantity: 1,
        unitAmountMinor: minorUnitsAsNumber(plan.priceMinor),
      },
    ],
    currency: plan.currency,
    fulfilment: { kind: "license", licenseId: license.id },
    successPath: `/licensing?paid=${license.id}`,
    cancelPath: "/licensing",
    actor: auditActorOf(input.actor),
    idempotencyScope: `theater:${license.theaterOrgId}`,
    idempotencyKey: renewal
      ? `license-renewal:${license.id}:${license.validUntil?.toISOString()}`
      : `license:${license.id}`,
  });
  return { licenseId: license.id, checkoutId: checkout.checkoutId, url: checkout.url };
}

/**
 * The theater's license of the plan waiting for payment, or a new one. Purchases of one plan by one theater
 * are taken one after the other (an advisory lock), so two at once find one license.
 */
async function createPendingLicenseOfTheater(input: { theaterOrgId: string; planId: string; actor: UserActor }) {
  return db().$transaction(async (tx) => {
    await assertTheaterAdmin(tx, input.actor, input.theaterOrgId);
    await lockNameForTransaction(tx, advisoryLockNames.licensePurchase(input.theaterOrgId, input.planId));
    const waiting = await tx.license.findFirst({
      where: { theaterOrgId: input.theaterOrgId, planId: input.planId, status: "PENDING_PAYMENT" },
      orderBy: { createdAt: "desc" },
    });
    if (waiting) return waiting;
    return createPendingLicense(tx, { ...input, createdById: input.actor.id, actor: auditActorOf(input.actor) });
  });
}
