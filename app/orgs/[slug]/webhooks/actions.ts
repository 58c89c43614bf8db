"use server";
import { z } from "zod";
import { revalidatePath } from "next/cache";
import { requireAccess } from "@/lib/auth/require-access";
import { formFields, runAction, type ActionResult } from "@/app/action-result";
import { createWebhookSubscription } from "@/lib/webhook-subscriptions/create-webhook-subscription";
import { disableWebhookSubscription } from "@/lib/webhook-subscriptions/disable-webhook-subscription";
import { resendWebhookDelivery } from "@/lib/webhook-subscriptions/resend-webhook-delivery";

/**
 * The webhooks page's actions. Each parses its form and signs the caller in;
 * the domain function checks that they manage the organization the form
 * names (a tampered slug or id is refused there).
 */
const slugField = z.string().min(1).max(60);
const idField = z.string().min(1).max(100);

export async function createSubscriptionAction(_prev: ActionResult, formData: FormData): Promise<ActionResult> {
  return runAction(async () => {
    const fields = z.object({ slug: slugField, url: z.string().max(600) }).parse(formFields(formData));
    const eventTypes = formData.getAll("eventTypes").map(String);
    const sub = await createWebhookSubscription(fields.slug, (await requireAccess("signed-in")).actor, {
      url: fields.url,
      eventTypes,
    });
    revalidatePath(`/orgs/${fields.slug}/webhooks`);
    return `Subscribed ${sub.url} (${sub.id}).`;
  });
}

export async function disableSubscriptionAction(_prev: ActionResult, formData: FormData): Promise<ActionResult> {
  return runAction(async () => {
    const f = z
      .object({ slug: slugField, subscriptionId: idField, reason: z.string().max(600) })
      .parse(formFields(formData));
    await disableWebhookSubscription(f.slug, (await requireAccess("signed-in")).actor, f.subscriptionId, f.reason);
    revalidatePath(`/orgs/${f.slug}/webhooks`);
    return "Subscription stopped.";
  });
}

export async function resendDeliveryAction(_prev: ActionResult, formData: FormData): Promise<ActionResult> {
  return runAction(async () => {
    const f = z.object({ slug: slugField, deliveryId: idField }).parse(formFields(formData));
    await resendWebhookDelivery(f.slug, (await requireAccess("signed-in")).actor, f.deliveryId);
    revalidatePath(`/orgs/${f.slug}/webhooks`);
    return "Sent again; refresh the page to see the attempt.";
  });
}
