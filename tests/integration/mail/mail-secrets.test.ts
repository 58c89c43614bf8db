import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { resetEnvForTests } from "@/lib/config/env";
import { requestEmailCode } from "@/lib/auth/request-email-code";
import { deliverMail } from "@/lib/mail/deliver-mail";
import { findLastMailToOrThrow } from "@/lib/mail/find-last-mail-to";
import { drainOutbox } from "@/lib/outbox/kick-outbox";
import { uniqueEmail } from "../../support/factories";
import { startSmtpCatcher } from "../../support/smtp-catcher";

// The sign-in-binding cookie of the browser these tests ask and sign in from (lib/auth/sign-in-binding.ts).
const BROWSER = "test-browser-binding-000000000000000000000";

/**
 * Mail carries sign-in codes and invitation links: whoever could read them
 * could sign in as anyone (issue 12: an org admin read them on /dev/mailbox).
 * Nothing of a message is stored readable, and once SMTP has it, nothing of
 * its content is kept at all.
 */
async function mailedCode(email: string): Promise<{ id: string; code: string }> {
  const mail = await findLastMailToOrThrow(email, "sign-in-code");
  const code = mail.content?.text.match(/\b(\d{6})\b/)?.[1];
  if (!code) throw new Error(`no code in the mail to ${email}`);
  return { id: mail.id, code };
}

describe("mail content at rest", () => {
  it("stores no sign-in code readable: the row holds it only sealed", async () => {
    const email = uniqueEmail("sealed");
    await requestEmailCode({ binding: BROWSER, email });
    const { id, code } = await mailedCode(email);
    const row = await db().mailMessage.findUniqueOrThrow({ where: { id } });
    expect(JSON.stringify(row)).not.toContain(code);
    expect(row.sealedContent).toMatch(/^v1\.[0-9a-f]{12}\.mail-content\./);
  });

  it("keeps the sealed content of mail that no SMTP server carries (the dev mailbox)", async () => {
    const email = uniqueEmail("kept");
    await requestEmailCode({ binding: BROWSER, email });
    await drainOutbox();
    const mail = await findLastMailToOrThrow(email);
    expect(mail).toMatchObject({ transport: "dev-mailbox", contentPurgedAt: null });
    expect(mail.content?.subject).toMatch(/sign-in code/);
  });
});

describe("mail content after SMTP delivery", () => {
  let smtp: Awaited<ReturnType<typeof startSmtpCatcher>>;
  beforeAll(async () => {
    smtp = await startSmtpCatcher();
    process.env.SMTP_URL = smtp.url;
    resetEnvForTests();
  });
  afterAll(async () => {
    delete process.env.SMTP_URL;
    resetEnvForTests();
    await smtp.stop();
  });

  it("purges the content once SMTP took the message, in the update that records the send", async () => {
    const email = uniqueEmail("purged");
    await requestEmailCode({ binding: BROWSER, email });
    const { id, code } = await mailedCode(email);
    await deliverMail({ messageId: id });
    expect(smtp.messages.find((m) => m.to.includes(email))?.raw).toContain(code);
    const row = await db().mailMessage.findUniqueOrThrow({ where: { id } });
    expect(row).toMatchObject({ transport: "smtp", sealedContent: null });
    expect(row.sentAt).not.toBeNull();
    expect(row.contentPurgedAt).not.toBeNull();
    expect((await findLastMailToOrThrow(email)).content).toBeUndefined();
  });

  it("sends nothing for a message whose content was purged before delivery, and says so", async () => {
    const email = uniqueEmail("lost");
    await requestEmailCode({ binding: BROWSER, email });
    const { id } = await mailedCode(email);
    await db().mailMessage.update({ where: { id }, data: { sealedContent: null, contentPurgedAt: new Date() } });
    await deliverMail({ messageId: id });
    expect(smtp.messages.some((m) => m.to.includes(email))).toBe(false);
    expect(await db().mailMessage.findUniqueOrThrow({ where: { id } })).toMatchObject({
      sentAt: null,
      error: "content purged before delivery",
    });
  });
});
