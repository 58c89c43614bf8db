import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { devMailboxExists, devMailboxOpens } from "@/lib/mail/dev-mailbox-access";
import { listMailMessages } from "@/lib/mail/list-mail-messages";
import { formatTime } from "@/app/format-time";

export const metadata: Metadata = { title: "Dev mailbox", referrer: "no-referrer" };

const one = (v: string | string[] | undefined) => (typeof v === "string" && v ? v : undefined);

/**
 * Every email the portal wrote, newest first: where mail goes in embedded
 * development without an SMTP server. Only there, and only with the key
 * printed at start (lib/mail/dev-mailbox-access.ts says why).
 */
export default async function DevMailboxPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  if (!devMailboxExists()) notFound();
  const params = await searchParams;
  const key = one(params.key);
  if (!devMailboxOpens(key)) return <LockedMailbox />;
  const to = one(params.to);
  const messages = await listMailMessages({ to });
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold">Dev mailbox</h1>
        <p className="text-sm text-stone-600">
          No SMTP server is configured, so mail lands here instead of being sent. Keep this page&apos;s address to
          yourself: it opens every account&apos;s sign-in codes.
        </p>
      </div>
      <form className="flex max-w-md gap-2" method="get">
        <input type="hidden" name="key" value={key} />
        <input
          name="to"
          type="email"
          aria-label="Recipient"
          placeholder="Filter by recipient"
          defaultValue={to ?? ""}
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
                <h2 className="font-semibold">{m.content?.subject ?? "(content purged)"}</h2>
                <span className="text-xs text-stone-500">
                  {formatTime(m.createdAt)} · {m.sentAt ? (m.transport ?? "sent") : "queued"}
                </span>
              </div>
              <p className="text-sm text-stone-600">
                To {m.to} · {m.template}
              </p>
              {m.content && <pre className="whitespace-pre-wrap rounded bg-stone-50 p-3 text-sm">{m.content.text}</pre>}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function LockedMailbox() {
  return (
    <div className="max-w-xl space-y-3" data-testid="dev-mailbox-locked">
      <h1 className="text-2xl font-semibold">Dev mailbox</h1>
      <p className="text-sm text-stone-700">
        This mailbox opens only with the link the portal printed in the terminal where it was started (it carries a
        key), or read a message with <code>npm run cli -- mail last --to EMAIL</code>.
      </p>
    </div>
  );
}
