import type { Metadata } from "next";
import { headers } from "next/headers";
import { requirePageAccess } from "@/lib/auth/require-page-access";
import { devMailboxOpenWithoutRole } from "@/lib/mail/dev-mailbox-access";
import { listMailMessages } from "@/lib/mail/list-mail-messages";
import { env } from "@/lib/config/env";
import { formatTime } from "@/app/format-time";

export const metadata: Metadata = { title: "Dev mailbox" };

/** Every email the portal wrote, newest first: where mail goes when no SMTP server is configured. */
export default async function DevMailboxPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const to = (await searchParams).to;
  if (!devMailboxOpenWithoutRole(await headers())) await requirePageAccess({ role: "ORG_ADMIN" }, "/dev/mailbox");
  const messages = await listMailMessages({ to: typeof to === "string" && to ? to : undefined });
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold">Dev mailbox</h1>
        <p className="text-sm text-stone-600">
          {env().smtpUrl
            ? "Mail is sent by SMTP; this is the record of what was sent."
            : "No SMTP server is configured, so mail lands here instead of being sent."}
        </p>
      </div>
      <form className="flex max-w-md gap-2" method="get">
        <input
          name="to"
          type="email"
          aria-label="Recipient"
          placeholder="Filter by recipient"
          defaultValue={typeof to === "string" ? to : ""}
          className="input"
        />
        <button type="submit" className="btn-secondary">
          Filter
        </button>
      </form>
      {messages.length === 0 ? (
        <p className="text-sm text-stone-700">No mail yet.</p>
      ) : (
        <ul className="space-y-4" data-testid="mailbox">
          {messages.map((m) => (
            <li key={m.id} className="card space-y-2" data-testid="mail-message">
              <div className="flex flex-wrap items-baseline justify-between gap-2">
                <h2 className="font-semibold">{m.subject}</h2>
                <span className="text-xs text-stone-500">
                  {formatTime(m.createdAt)} · {m.sentAt ? (m.transport ?? "sent") : "queued"}
                </span>
              </div>
              <p className="text-sm text-stone-600">
                To {m.to} · {m.template}
              </p>
              <pre className="whitespace-pre-wrap rounded bg-stone-50 p-3 text-sm">{m.text}</pre>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
