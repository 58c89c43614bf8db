"use server";
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { requireAccess } from "@/lib/auth/require-access";
import { formFields, runAction, type ActionResult } from "@/app/action-result";
import {
  cancelFundingSchema,
  fundingPublicNameSchema,
  hostLineCostSchema,
  startFundingSchema,
} from "@/lib/funding/funding-input";
import { setFundingPublicName } from "@/lib/funding/set-funding-public-name";
import { startFunding } from "@/lib/funding/start-funding";
import { cancelFunding } from "@/lib/funding/cancel-funding";
import { declareHostLineCost } from "@/lib/funding/declare-host-line-cost";
import { formatMoney } from "@/lib/money/format-money";

/** Starts a funding and sends the funder to the provider's checkout. */
export async function startFundingAction(_prev: ActionResult, formData: FormData): Promise<ActionResult> {
  let checkoutUrl = "";
  const result = await runAction(async () => {
    const auth = await requireAccess("signed-in");
    const fields = formFields(formData);
    // The form names its target as "line" or "host:<slug>".
    const target = fields.target ?? "line";
    const input = startFundingSchema.parse({
      ...fields,
      releaseLineId: target === "line" ? fields.releaseLineId : undefined,
      hostSlug: target.startsWith("host:") ? target.slice(5) : undefined,
    });
    checkoutUrl = (await startFunding({ ...input, actor: auth.actor })).checkoutUrl;
    return "Opening the payment page…";
  });
  if (result?.ok) redirect(checkoutUrl);
  return result;
}

export async function declareHostLineCostAction(_prev: ActionResult, formData: FormData): Promise<ActionResult> {
  return runAction(async () => {
    const auth = await requireAccess("signed-in");
    const input = hostLineCostSchema.parse(formFields(formData));
    const cost = await declareHostLineCost({ ...input, actor: auth.actor });
    revalidatePath("/funding");
    return `Declared: running this line costs the host ${formatMoney(cost.monthlyCostMinor, cost.currency)} a month.`;
  });
}

export async function cancelFundingAction(_prev: ActionResult, formData: FormData): Promise<ActionResult> {
  return runAction(async () => {
    const auth = await requireAccess("signed-in");
    const input = cancelFundingSchema.parse(formFields(formData));
    const { endsAt } = await cancelFunding({ ...input, actor: auth.actor });
    revalidatePath("/account/funding");
    return endsAt
      ? `Your funding stops renewing; it ends on ${endsAt.toISOString().slice(0, 10)}, the end of the period already paid.`
      : "Your funding stops renewing.";
  });
}

/** The funder chooses the name their funding shows on the line's page, or to be anonymous. */
export async function setFundingPublicNameAction(_prev: ActionResult, formData: FormData): Promise<ActionResult> {
  return runAction(async () => {
    const auth = await requireAccess("signed-in");
    const input = fundingPublicNameSchema.parse(formFields(formData));
    const { publicName } = await setFundingPublicName({
      fundingId: input.fundingId,
      publicName: input.publicName ?? null,
      actor: auth.actor,
    });
    revalidatePath("/account/funding");
    return publicName
      ? `The line's page shows this funding as ${publicName}.`
      : "The line's page shows this funding as Anonymous.";
  });
}
