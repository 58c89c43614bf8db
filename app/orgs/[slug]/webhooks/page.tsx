import type { Metadata } from "next";
import { requirePageAccess } from "@/lib/auth/require-page-access";
import { orRefusalPage } from "@/app/or-refusal-page";
import { listWebhookSubscriptions } from "@/lib/webhook-subscriptions/list-webhook-subscriptions";
import { webhookEventLabels } from "@/lib/webhooks/webhook-event-types";
import { ActionForm } from "@/app/action-form";
import { ConfirmWithReason } from "@/app/confirm-with-reason";
import { listForkOrigins, originOfRecord } from "@/lib/portability/list-fork-origins";
import { ForkNotice, OriginMark } from "@/app/origin-mark";
import { isStoppedByImport } from "@/lib/webhook-subscriptions/imported-stop";
import {
  createSubscriptionAction,
  disableSubscriptionAction,
  resendDeliveryAction,
  resumeSubscriptionAction,
} from "./actions";

export const metadata: Metadata = { title: "Webhooks" };

const when = (d: Date | null) => (d ? d.toISOString().replace("T", " ").slice(0, 19) : "—");

/**
 * A host's or theater's webhook subscriptions, for its managers: subscribe a
 * URL to events, see every delivery and its attempts, send one again, stop a
 * subscription (with a reason), resume one that came stopped with an import (with a reason).
 */
export default async function WebhooksPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const actor = (await requirePageAccess("signed-in", `/orgs/${encodeURIComponent(slug)}/webhooks`)).actor;
  const [{ org, eventTypes, subscriptions }, forks] = await Promise.all([
    orRefusalPage(listWebhookSubscriptions({ slug, actor })),
    listForkOrigins(),
  ]);
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold">Webhooks of {org.name}</h1>
        <p className="max-w-3xl text-sm text-stone-600">
          Guildhall posts events to your URL in the Standard Webhooks form: headers <code>webhook-id</code>,{" "}
          <code>webhook-timestamp</code> and <code>webhook-signature</code> (<code>v1a</code>, Ed25519 over{" "}
          <code>id.timestamp.body</code>). Verify with the public keys at{" "}
          <a className="underline" href="/.well-known/guildhall/webhook-keys">
            /.well-known/guildhall/webhook-keys
          </a>
          , refuse timestamps more than five minutes old, process each <code>webhook-id</code> once, and check that the
          body's <code>subscription</code> is yours. Failed deliveries are retried with growing pauses for about nine
          hours.
        </p>
      </div>
      <ForkNotice forks={forks} />
      {subscriptions.some((s) => originOfRecord(forks, s.createdAt)) && (
        <p className="text-sm text-stone-600">
          A subscription marked so was made at the origin and came with the fork stopped: this Guildhall signs with its
          own keys, which the receiver must trust first, and the origin&apos;s deliveries stayed there. Once it does,
          resume the subscription (one that was active at the origin: the same id, so the receiver&apos;s settings
          stand), or subscribe the URL anew.
        </p>
      )}

      <section className="card space-y-3">
        <h2 className="text-lg font-semibold">Subscribe</h2>
        <ActionForm action={createSubscriptionAction} submitLabel="Subscribe" testId="subscribe-form">
          <input type="hidden" name="slug" value={org.slug} />
          <div>
            <label className="label" htmlFor="url">
              URL (https)
            </label>
            <input className="input" id="url" name="url" required maxLength={500} placeholder="https://" />
          </div>
          <fieldset className="grid gap-1 text-sm sm:grid-cols-2">
            <legend className="label">Events</legend>
            {eventTypes.map((t) => (
              <label key={t} className="flex flex-wrap gap-2">
                <input type="checkbox" name="eventTypes" value={t} defaultChecked />
                <span>
                  <code>{t}</code>: {webhookEventLabels[t]}
                </span>
              </label>
            ))}
          </fieldset>
        </ActionForm>
      </section>

      {subscriptions.length === 0 && <p className="text-sm text-stone-500">No subscriptions yet.</p>}
      {subscriptions.map((s) => (
        <section key={s.id} className="card space-y-3" data-testid={`subscription-${s.id}`}>
          <div className="flex flex-wrap items-start justify-between gap-3">
            <div>
              <h2 className="break-all font-mono text-sm">
                {s.url}
                <OriginMark origin={originOfRecord(forks, s.createdAt)} />
              </h2>
              <p className="text-xs text-stone-600">
                {s.id} · <span data-testid="subscription-status">{s.status}</span>
                {s.disabledReason && ` (${s.disabledReason})`} · {s.eventTypes.join(", ")}
              </p>
            </div>
            {s.status === "active" && (
              <ConfirmWithReason
                triggerLabel="Stop"
                title="Stop this subscription?"
                consequence="Guildhall stops sending events to this URL, and deliveries still waiting are not sent. To receive events again, subscribe anew."
                confirmLabel="Stop it"
                action={disableSubscriptionAction}
                fields={{ slug: org.slug, subscriptionId: s.id }}
                testId={`stop-${s.id}`}
              />
            )}
            {isStoppedByImport(s) && (
              <ConfirmWithReason
                triggerLabel="Resume"
                title="Resume this imported subscription?"
                consequence={`Guildhall sends this URL the events it subscribes to from now on, signed with this Guildhall's webhook keys (/.well-known/guildhall/webhook-keys): the receiver must trust them first, or it will refuse every delivery. Events before now are not sent.`}
                confirmLabel="Resume it"
                action={resumeSubscriptionAction}
                fields={{ slug: org.slug, subscriptionId: s.id }}
                testId={`resume-${s.id}`}
              />
            )}
          </div>
          <table className="table text-xs" data-testid="delivery-log">
            <thead>
              <tr>
                <th>Event</th>
                <th>webhook-id</th>
                <th>Status</th>
                <th>Attempts</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {s.deliveries.map((d) => (
                <tr key={d.id} data-testid={`delivery-${d.id}`}>
                  <td>
                    <code>{d.event.type}</code>
                    <div className="text-stone-500">{when(d.event.occurredAt)}</div>
                  </td>
                  <td className="font-mono">{d.id}</td>
                  <td data-testid="delivery-status">{d.status}</td>
                  <td>
                    <ul>
                      {d.log.map((a) => (
                        <li key={String(a.id)}>
                          {when(a.attemptedAt)}: {a.statusCode ?? a.error} ({a.durationMs} ms)
                        </li>
                      ))}
                      {d.log.length === 0 && <li className="text-stone-500">not tried yet</li>}
                    </ul>
                  </td>
                  <td>
                    {s.status === "active" && d.status !== "pending" && (
                      <ActionForm
                        action={resendDeliveryAction}
                        submitLabel="Re-send"
                        variant="secondary"
                        testId={`resend-${d.id}`}
                      >
                        <input type="hidden" name="slug" value={org.slug} />
                        <input type="hidden" name="deliveryId" value={d.id} />
                      </ActionForm>
                    )}
                  </td>
                </tr>
              ))}
              {s.deliveries.length === 0 && (
                <tr>
                  <td colSpan={5} className="text-stone-500">
                    Nothing sent yet.
                  </td>
                </tr>
              )}
            </tbody>
          </table>
        </section>
      ))}
    </div>
  );
}
