"use server";
import { z } from "zod";
import { revalidatePath } from "next/cache";
import { requireAccess } from "@/lib/auth/require-access";
import { formFields, runAction, type ActionResult } from "@/app/action-result";
import { createWebhookSubscription } from "@/lib/webhook-subscriptions/create-webhook-subscription";
import { disableWebhookSubscription } from "@/lib/webhook-subscriptions/disable-webhook-subscription";
import { resendWebhookDelivery } from "@/lib/webhook-subscriptions/resend-webhook-delivery";
import { resumeImportedWebhookSubscription } from "@/lib/webhook-subscriptions/resume-imported-webhook-subscription";

/**
 * The webhooks page's actions. Each parses its form and signs the caller in;
 * the domain function checks that they manage the organization the form
 * names (a tampered slug or id is refused there).
 */
const slugField = z.string().min(1).max(60);
const idField = z.string().min(1).max(100);
/** Stopping and resuming a subscription: which one, and the manager's reason (checked by the domain). */
const subscriptionActFields = z.object({ slug: slugField, subscriptionId: idField, reason: z.string().max(600) });

export async function createSubscriptionAction(_prev: ActionResult, formData: FormData): Promise<ActionResult> {
  return runAction(async () => {
    const fields = z.object({ slug: slugField, url: z.string().max(600) }).parse(formFields(formData));
    const eventTypes = formData.getAll("eventTypes").map(String);
    const sub = await createWebhookSubscription({
      slug: fields.slug,
      url: fields.url,
      eventTypes,
      actor: (await requireAccess("signed-in")).actor,
    });
    revalidatePath(`/orgs/${fields.slug}/webhooks`);
    return `Subscribed ${sub.url} (${sub.id}).`;
  });
}

export async function disableSubscriptionAction(_prev: ActionResult, formData: FormData): Promise<ActionResult> {
  return runAction(async () => {
    const f = subscriptionActFields.parse(formFields(formData));
    await disableWebhookSubscription({
      slug: f.slug,
      subscriptionId: f.subscriptionId,
      reason: f.reason,
      actor: (await requireAccess("signed-in")).actor,
    });
    revalidatePath(`/orgs/${f.slug}/webhooks`);
    return "Subscription stopped.";
  });
}

export async function resumeSubscriptionAction(_prev: ActionResult, formData: FormData): Promise<ActionResult> {
  return runAction(async () => {
    const f = subscriptionActFields.parse(formFields(formData));
    await resumeImportedWebhookSubscription({
      slug: f.slug,
      subscriptionId: f.subscriptionId,
      reason: f.reason,
      actor: (await requireAccess("signed-in")).actor,
    });
    revalidatePath(`/orgs/${f.slug}/webhooks`);
    return "Subscription resumed.";
  });
}

export async function resendDeliveryAction(_prev: ActionResult, formData: FormData): Promise<ActionResult> {
  return runAction(async () => {
    const f = z.object({ slug: slugField, deliveryId: idField }).parse(formFields(formData));
    await resendWebhookDelivery({
      slug: f.slug,
      deliveryId: f.deliveryId,
      actor: (await requireAccess("signed-in")).actor,
    });
    revalidatePath(`/orgs/${f.slug}/webhooks`);
    return "Sent again; refresh the page to see the attempt.";
  });
}
