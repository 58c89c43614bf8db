import "server-only";
import { db } from "@/lib/db/client";
import { newId } from "@/lib/ids";
import { env } from "@/lib/config/env";
import { AppError } from "@/lib/errors/app-error";
import { appendAuditEvent } from "@/lib/audit/append-audit-event";
import type { Actor } from "@/lib/access/actor";
import { assertPermitted, type Requirement } from "@/lib/access/permission";
import { getPaymentProvider } from "@/lib/payment-provider/get-payment-provider";
import { isUniqueViolation } from "@/lib/db/is-unique-violation";

export type PayeeKind = "theater_payable" | "host_payable" | "developers_fund";

const regionNames = new Intl.DisplayNames(["en"], { type: "region" });

/**
 * The country of a connected account (ISO 3166-1 alpha-2): it decides which bank accounts and currencies
 * the account can take, and Stripe cannot change it afterwards. Intl knows the assigned codes (it names
 * them); anything else is refused.
 */
export function parseAccountCountry(value: string | undefined): string | undefined {
  if (value === undefined || value.trim() === "") return undefined;
  const code = value.trim().toUpperCase();
  if (!/^[A-Z]{2}$/.test(code) || regionNames.of(code) === code)
    throw new AppError("VALIDATION_FAILED", {
      userMessage: "The country is a two-letter code, such as DE, FR or US.",
      reason: "COUNTRY_INVALID",
    });
  return code;
}

/**
 * Who may connect a payee's account: finance the developers' fund's, a
 * theater's admins their theater's, a host's operators their host's (finance
 * sees those payees' payouts, but does not choose where their money goes).
 */
function payeeManager(kind: PayeeKind, orgId: string | null): Requirement {
  if (kind === "developers_fund" || orgId === null) return { role: "FINANCE" };
  return { membership: kind === "theater_payable" ? "THEATER_ADMIN" : "HOST_OPERATOR", orgId };
}

const notPayeeManager = { userMessage: "Only this payee's own managers can connect its payout account." };

/**
 * Gives a payee (a theater, a host, or the developers' fund) a connected
 * account to receive payouts, and answers where to finish onboarding: a Stripe
 * Connect Express onboarding link, or the simulated provider's local page.
 * The account is made once per payee (idempotent at the provider too), in
 * the country chosen (or STRIPE_CONNECT_COUNTRY): a Stripe account's country
 * is fixed when it is made, so none is made without one. The actor must
 * manage the payee (`payeeManager`): checked before the provider is asked for
 * anything, and again in the transaction that records the account.
 */
export async function connectPayeeAccount({
  actor,
  ...input
}: {
  actor: Actor;
  kind: PayeeKind;
  orgId: string | null;
  returnPath: string;
  country?: string;
}): Promise<{ payeeAccountId: string; onboardingUrl: string | null; onboardingStatus: string }> {
  if ((input.kind === "developers_fund") !== (input.orgId === null))
    throw new AppError("VALIDATION_FAILED", { userMessage: "Only the developers' fund has no organization." });
  const manager = payeeManager(input.kind, input.orgId);
  await assertPermitted(db(), actor, manager, notPayeeManager);
  if (input.orgId) {
    const org = await db().organization.findUnique({ where: { id: input.orgId }, select: { kind: true } });
    if (!org || org.kind !== (input.kind === "theater_payable" ? "THEATER" : "HOST"))
      throw new AppError("NOT_FOUND", { userMessage: "No such payee organization.", reason: "PAYEE_NOT_FOUND" });
  }
  const provider = getPaymentProvider();
  let payee = await db().payeeAccount.findFirst({ where: { ledgerAccountKind: input.kind, orgId: input.orgId } });
  if (!payee) {
    const country = parseAccountCountry(input.country) ?? env().stripeConnectCountry;
    if (!country && provider.name === "stripe")
      throw new AppError("VALIDATION_FAILED", {
        userMessage: "Choose the country of the bank account the payouts go to.",
        reason: "COUNTRY_REQUIRED",
      });
    const { accountId } = await provider.createConnectedAccount({
      payeeId: input.orgId ?? "developers_fund",
      country,
    });
    payee = await onceConcurrent(() =>
      db().$transaction(async (tx) => {
        await assertPermitted(tx, actor, manager, notPayeeManager);
        const existing = await tx.payeeAccount.findFirst({
          where: { ledgerAccountKind: input.kind, orgId: input.orgId },
        });
        if (existing) return existing;
        const created = await tx.payeeAccount.create({
          data: {
            id: newId("pay"),
            ledgerAccountKind: input.kind,
            orgId: input.orgId,
            provider: provider.name,
            providerAccountId: accountId,
            onboardingStatus: provider.name === "simulated" ? "complete" : "pending",
          },
        });
        await appendAuditEvent(tx, {
          actor,
          action: "payee_account.created",
          subject: { type: "payee_account", id: created.id },
          state: { kind: input.kind, orgId: input.orgId, providerAccountId: accountId },
          data: { kind: input.kind, orgId: input.orgId, provider: provider.name },
        });
        return created;
      }),
    );
  }
  if (
    payee.onboardingStatus !== "complete" &&
    (await provider.getConnectedAccountStatus(payee.providerAccountId)).payoutsEnabled
  ) {
    // Back from onboarding before the account.updated webhook arrived: the provider's word is enough.
    const id = payee.id;
    payee = await db().$transaction(async (tx) => {
      const updated = await tx.payeeAccount.update({ where: { id }, data: { onboardingStatus: "complete" } });
      await appendAuditEvent(tx, {
        actor,
        action: "payee_account.updated",
        subject: { type: "payee_account", id },
        state: { onboardingStatus: "complete" },
        data: { onboardingStatus: "complete" },
      });
      return updated;
    });
  }
  if (payee.onboardingStatus === "complete")
    return { payeeAccountId: payee.id, onboardingUrl: null, onboardingStatus: "complete" };
  const returnUrl = `${env().publicUrl}${input.returnPath}`;
  const { url } = await provider.createOnboardingLink({
    accountId: payee.providerAccountId,
    refreshUrl: returnUrl,
    returnUrl,
  });
  return { payeeAccountId: payee.id, onboardingUrl: url, onboardingStatus: payee.onboardingStatus };
}

/**
 * The same payee connected twice at once (a double click, two finance users): both get the same account from
 * the provider (its idempotency key is the payee's), and the second insert loses on the payee's unique org or
 * account id; it reads the first's row instead of answering 500.
 */
async function onceConcurrent<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (e) {
    if (isUniqueViolation(e)) return run();
    throw e;
  }
}

/** The payee kind and org of an organization slug, for the CLI and pages. */
export async function payeeOfOrgSlug(slug: string): Promise<{ kind: PayeeKind; orgId: string; slug: string } | null> {
  const org = await db().organization.findUnique({ where: { slug }, select: { id: true, kind: true } });
  return org ? { kind: org.kind === "THEATER" ? "theater_payable" : "host_payable", orgId: org.id, slug } : null;
}
