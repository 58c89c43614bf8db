import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SMTPServer } from "smtp-server";
import type { AddressInfo } from "node:net";
import { db } from "@/lib/db/client";
import { resetEnvForTests } from "@/lib/config/env";
import { requestEmailCode } from "@/lib/auth/request-email-code";
import { drainOutbox } from "@/lib/outbox/kick-outbox";
import { uniqueEmail } from "../../support/factories";

type Received = { from: string; to: string[]; raw: string };

/**
 * SMTP delivery against a real SMTP server on a local port (smtp-server):
 * with SMTP_URL set, a sign-in code goes out through nodemailer and arrives
 * with the right envelope, subject and code.
 */
const received: Received[] = [];
const waiters: (() => void)[] = [];
const server = new SMTPServer({
  authOptional: true,
  disabledCommands: ["STARTTLS"],
  logger: false,
  onData(stream, session, callback) {
    const chunks: Buffer[] = [];
    stream.on("data", (c: Buffer) => chunks.push(c));
    stream.on("end", () => {
      received.push({
        from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
        to: session.envelope.rcptTo.map((r) => r.address),
        raw: Buffer.concat(chunks).toString("utf8"),
      });
      waiters.splice(0).forEach((w) => w());
      callback();
    });
  },
});

async function mailTo(address: string, timeoutMs = 10_000): Promise<Received> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = received.find((m) => m.to.includes(address));
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`no mail to ${address} arrived`);
    await new Promise<void>((resolve) => {
      waiters.push(resolve);
      setTimeout(resolve, 200);
    });
  }
}

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  process.env.SMTP_URL = `smtp://127.0.0.1:${(server.server.address() as AddressInfo).port}`;
  process.env.MAIL_FROM = "Guildhall <no-reply@guildhall.test>";
  resetEnvForTests();
});

afterAll(async () => {
  delete process.env.SMTP_URL;
  resetEnvForTests();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe("SMTP delivery", () => {
  it("sends a sign-in code by SMTP with the right envelope, subject and code", async () => {
    const email = uniqueEmail("smtp");
    await requestEmailCode({ email });
    await drainOutbox();
    const mail = await mailTo(email);
    const stored = await db().mailMessage.findFirstOrThrow({ where: { to: email } });
    const code = stored.text.match(/\b(\d{6})\b/)![1];

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
    expect(received.filter((m) => m.to.includes(email))).toHaveLength(1);
  });
});
