import { emailLayout, escapeHtml, type RenderedEmail } from "./layout";

/** Sent after sign-up: the code that proves the address belongs to the person who signed up. */
export function verifyEmailEmail(p: {
  name: string;
  code: string;
  ttlMinutes: number;
  accountUrl: string;
}): RenderedEmail {
  return {
    subject: `Confirm your Guildhall email address: ${p.code}`,
    text: [
      `Hello ${p.name},`,
      ``,
      `Welcome to Guildhall. Confirm this email address with the code ${p.code} on your account page: ${p.accountUrl}`,
      `It expires in ${p.ttlMinutes} minutes; you can ask for a new one there.`,
      ``,
      `If you did not create a Guildhall account, ignore this email: until the address is confirmed, signing in with an email code removes any passkey someone else registered with it.`,
    ].join("\n"),
    html: emailLayout(
      "Confirm your email address",
      `<p>Hello ${escapeHtml(p.name)},</p><p>Welcome to Guildhall. Enter this code on <a href="${escapeHtml(p.accountUrl)}">your account page</a>:</p>` +
        `<p style="font-size:28px;letter-spacing:4px;font-weight:bold">${escapeHtml(p.code)}</p>` +
        `<p>It expires in ${p.ttlMinutes} minutes. If you did not create a Guildhall account, ignore this email.</p>`,
    ),
  };
}
