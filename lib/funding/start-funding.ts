import "server-only";
import type { z } from "zod";
import { db } from "@/lib/db/client";
import { AppError, isAppError } from "@/lib/errors/app-error";
import type { Funding } from "@/lib/generated/prisma/client";
import { isUniqueViolation } from "@/lib/db/is-unique-violation";
import type { PaymentProvider } from "@/lib/payment-provider/provider";
import { appendAuditEvent } from "@/lib/audit/append-audit-event";
import { assertPermitted } from "@/lib/access/permission";
import { auditActorOf, type UserActor } from "@/lib/access/actor";
import { env } from "@/lib/config/env";
import { sha256Hex } from "@/lib/crypto/hash";
import { parseMoney } from "@/lib/money/parse-money";
import { getPaymentProvider } from "@/lib/payment-provider/get-payment-provider";
import { providerFor } from "@/lib/payment-provider/provider-for";
import { withProviderErrors } from "@/lib/payment-provider/with-provider-errors";
import { expireOrForget, SESSION_END_MARGIN_MS } from "@/lib/payment-provider/expire-or-forget";
import { getActiveSplitPolicyOrThrow } from "@/lib/splits/get-active-split-policy";
import { fundedHostIds } from "@/lib/funding/funding-hosts";
import type { startFundingSchema } from "@/lib/funding/funding-input";

/** Stripe's ceiling for one charge, in minor units; the same for every funding. */
const MAX_FUNDING_MINOR = 99_999_999n;

/**
 * Starts a funding of a release line (split among the hosts that run it) or of one host, once or monthly,
 * and opens the provider's checkout for it. Refused, changing nothing: an amount that is not money in the
 * currency, a line or host that does not exist or that no admitted host runs (money would reach nobody who
 * keeps it running), no active funding split policy in that currency, or the provider's refusal. The funding
 * is written (pending) before the checkout opens, so every payment the provider reports finds it, and is
 * audited once the checkout is open; the same form submitted twice (its request key) is the same funding and
 * the same checkout while that checkout takes payment, and a new one once it has expired (liveCheckout).
 */
export async function startFunding({ actor, ...input }: { actor: UserActor } & z.output<typeof startFundingSchema>) {
  const parsed = parseMoney(input.amount, input.currency);
  if (!parsed.ok)
    throw new AppError("VALIDATION_FAILED", {
      userMessage: `The amount must be ${parsed.message}.`,
      reason: "AMOUNT_INVALID",
    });
  const amountMinor = parsed.money.amountMinor;
  if (amountMinor < 1n || amountMinor > MAX_FUNDING_MINOR)
    throw new AppError("VALIDATION_FAILED", {
      userMessage: "The amount must be more than zero and at most 999,999.99.",
      reason: "AMOUNT_OUT_OF_RANGE",
    });
  const provider = getPaymentProvider();
  // One funding per funder and form: a double submit finds the first.
  const id = `fnd_${sha256Hex(`${actor.id}:${input.requestKey}`).slice(0, 32)}`;
  const publicName = input.publicName ? input.publicName : null;

  const funding = await onceConcurrent(() =>
    db().$transaction(async (tx) => {
      await assertPermitted(tx, actor, "signed-in");
      let releaseLineId: string | null = null;
      let hostOrgId: string | null = null;
      let targetName: string;
      if (input.releaseLineId) {
        const line = await tx.releaseLine.findUnique({
          where: { id: input.releaseLineId },
          select: { id: true, name: true },
        });
        if (!line)
          throw new AppError("NOT_FOUND", { userMessage: "No such release line.", reason: "UNKNOWN_RELEASE_LINE" });
        releaseLineId = line.id;
        targetName = `the ${line.name} release line`;
      } else {
        const host = await tx.organization.findUnique({
          where: { slug: input.hostSlug ?? "" },
          select: { id: true, name: true, kind: true },
        });
        if (host?.kind !== "HOST")
          throw new AppError("NOT_FOUND", { userMessage: "No such host.", reason: "UNKNOWN_HOST" });
        hostOrgId = host.id;
        targetName = host.name;
      }
      if ((await fundedHostIds(tx, { releaseLineId, hostOrgId })).length === 0)
        throw new AppError("UNPROCESSABLE", {
          userMessage: releaseLineId
            ? "No admitted host runs this release line yet: funding would reach nobody who keeps it running."
            : "This host is not admitted: it cannot be funded.",
          reason: "NO_HOST_TO_FUND",
        });
      await getActiveSplitPolicyOrThrow(tx, { productKind: "LINE_FUNDING", currency: parsed.money.currency });

      const existing = await tx.funding.findUnique({ where: { id } });
      if (existing) {
        const same =
          existing.amountMinor === amountMinor &&
          existing.currency === parsed.money.currency &&
          existing.interval === input.interval &&
          existing.releaseLineId === releaseLineId &&
          existing.hostOrgId === hostOrgId;
        if (!same)
          throw new AppError("CONFLICT", {
            userMessage: "This form was already used for another funding; reload the page.",
            reason: "REQUEST_KEY_REUSED",
          });
        return { row: existing, targetName };
      }
      const row = await tx.funding.create({
        data: {
          id,
          releaseLineId,
          hostOrgId,
          funderUserId: actor.id,
          publicName,
          interval: input.interval,
          amountMinor,
          currency: parsed.money.currency,
          provider: provider.name,
        },
      });
      return { row, targetName };
    }),
  );

  const { row } = funding;
  if (row.status !== "pending")
    throw new AppError("CONFLICT", { userMessage: "This funding has already been paid.", reason: "ALREADY_PAID" });
  let session: LiveCheckout;
  try {
    session = await liveCheckout(row, funding.targetName);
  } catch (e) {
    // A refusal is final: the funding never was (no audit event was written for it yet). A provider that could
    // not be reached may have opened the session: the funding stays pending, and the same form again reuses it.
    if (isAppError(e) && e.reason === "PROVIDER_REFUSED" && !row.providerSessionId)
      await db().funding.deleteMany({ where: { id: row.id, status: "pending", providerSessionId: null } });
    throw e;
  }
  // Its last session was paid after all (the payment's events are on their way): nothing to pay again.
  if (session.paid) return { fundingId: row.id, checkoutUrl: successUrlOf(row) };
  if (row.providerSessionId !== session.sessionId)
    await db().$transaction(async (tx) => {
      const replacing = row.providerSessionId;
      const updated = await tx.funding.updateMany({
        where: { id: row.id, status: "pending", providerSessionId: replacing },
        data: { providerSessionId: session.sessionId },
      });
      // Two submissions at once got the same session (the same provider key): the first records it.
      if (updated.count === 0) return;
      await appendAuditEvent(tx, {
        actor: auditActorOf(actor),
        action: replacing ? "funding.checkout_replaced" : "funding.started",
        subject: { type: "funding", id: row.id },
        state: { releaseLineId: row.releaseLineId, hostOrgId: row.hostOrgId, interval: row.interval },
        data: replacing
          ? { previousSessionId: replacing, sessionId: session.sessionId }
          : {
              releaseLineId: row.releaseLineId,
              hostOrgId: row.hostOrgId,
              interval: row.interval,
              amountMinor: String(row.amountMinor),
              currency: row.currency,
            },
      });
    });
  return { fundingId: row.id, checkoutUrl: session.url };
}

/** The same form submitted twice at once: the second insert loses on the id and reads the first's funding. */
async function onceConcurrent<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (e) {
    if (isUniqueViolation(e)) return run();
    throw e;
  }
}

type LiveCheckout = Awaited<ReturnType<PaymentProvider["createFundingCheckout"]>> & { paid: boolean };

/**
 * How many ended sessions one submission walks past: each replacement is keyed by the session it replaces,
 * so a form submitted again long after finds the chain (a day a link, at most) and ends at the live one.
 */
const MAX_SESSION_REPLACEMENTS = 60;

/**
 * The checkout the funder is sent to. The funding's first session is keyed by the funding, so the same form
 * again gets it back while it takes payment. One that has ended (or is about to) is never handed back, since
 * its page is dead: it is expired at the provider, so it can no longer take payment, and replaced by a new
 * one keyed by the session it replaces (two submissions at once get the same one). A session that turns out
 * to be paid is answered as such.
 */
async function liveCheckout(row: Funding, targetName: string): Promise<LiveCheckout> {
  let idempotencyKey = `funding:${row.id}`;
  for (let i = 0; i < MAX_SESSION_REPLACEMENTS; i++) {
    const session = await openCheckout(row, targetName, idempotencyKey);
    if (session.expiresAt.getTime() - Date.now() > SESSION_END_MARGIN_MS) return { ...session, paid: false };
    const ended = await withProviderErrors(() => expireOrForget(row.provider, session.sessionId));
    if (ended.state === "paid") return { ...session, paid: true };
    idempotencyKey = `funding:${row.id}:after:${session.sessionId}`;
  }
  throw new AppError("CONFLICT", {
    userMessage: "This funding's checkout has expired; start a new funding from the line's page.",
    reason: "CHECKOUT_EXPIRED",
  });
}

function successUrlOf(row: Funding) {
  return `${env().publicUrl}/account/funding?started=${row.id}`;
}

function openCheckout(row: Funding, targetName: string, idempotencyKey: string) {
  return withProviderErrors(() =>
    providerFor(row.provider).createFundingCheckout({
      fundingId: row.id,
      description: `Funding of ${targetName}${row.interval === "month" ? ", monthly" : ""}`,
      currency: row.currency,
      amountMinor: Number(row.amountMinor),
      interval: row.interval === "month" ? "month" : "once",
      successUrl: successUrlOf(row),
      cancelUrl: `${env().publicUrl}/account/funding`,
      idempotencyKey,
    }),
  );
}
