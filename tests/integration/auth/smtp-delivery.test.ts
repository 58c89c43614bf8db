import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { resetEnvForTests } from "@/lib/config/env";
import { requestEmailCode } from "@/lib/auth/request-email-code";
import { drainOutbox } from "@/lib/outbox/kick-outbox";
import { uniqueEmail } from "../../support/factories";
import { startSmtpCatcher, type CaughtMail } from "../../support/smtp-catcher";
import { defined } from "../../support/defined";

// The sign-in-binding cookie of the browser these tests ask and sign in from (lib/auth/sign-in-binding.ts).
const BROWSER = "test-browser-binding-000000000000000000000";

/**
 * SMTP delivery against a real SMTP server on a local port (smtp-server):
 * with SMTP_URL set, a sign-in code goes out through nodemailer and arrives
 * with the right envelope, subject and code.
 */
let smtp: Awaited<ReturnType<typeof startSmtpCatcher>>;

async function mailTo(address: string, timeoutMs = 10_000): Promise<CaughtMail> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = smtp.messages.find((m) => m.to.includes(address));
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`no mail to ${address} arrived`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

beforeAll(async () => {
  smtp = await startSmtpCatcher();
  process.env.SMTP_URL = smtp.url;
  process.env.MAIL_FROM = "Guildhall <no-reply@guildhall.test>";
  resetEnvForTests();
});

afterAll(async () => {
  delete process.env.SMTP_URL;
  resetEnvForTests();
  await smtp.stop();
});

describe("SMTP delivery", () => {
  it("sends a sign-in code by SMTP with the right envelope, subject and code", async () => {
    const email = uniqueEmail("smtp");
    await requestEmailCode({ binding: BROWSER, email });
    await drainOutbox();
    const mail = await mailTo(email);
    const stored = await db().mailMessage.findFirstOrThrow({ where: { to: email } });
    // The portal keeps no copy of what SMTP took (tests/integration/mail/mail-secrets.test.ts), so the code is read from the sent mail.
    const code = defined(mail.raw.match(/sign-in code is (\d{6})\./))[1];

    expect(mail.from).toBe("no-reply@guildhall.test");
    expect(mail.to).toEqual([email]);
    expect(mail.raw).toMatch(new RegExp(`^Subject: Your Guildhall sign-in code: ${code}\\r?$`, "m"));
    expect(mail.raw).toContain(`Message-ID: <${stored.id}@guildhall>`);
    expect(mail.raw).toContain(`Your Guildhall sign-in code is ${code}.`);
    expect(mail.raw).toContain("text/html");

    // Wait for the delivery to be recorded (a kicked runner may have sent it).
    for (let i = 0; i < 50 && !(await db().mailMessage.findUniqueOrThrow({ where: { id: stored.id } })).sentAt; i++)
      await new Promise((r) => setTimeout(r, 100));
    expect(await db().mailMessage.findUniqueOrThrow({ where: { id: stored.id } })).toMatchObject({ transport: "smtp" });
    expect(smtp.messages.filter((m) => m.to.includes(email))).toHaveLength(1);
  });
});
