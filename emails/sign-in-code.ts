import { emailLayout, escapeHtml, type RenderedEmail } from "./layout";

export function signInCodeEmail(p: { code: string; ttlMinutes: number }): RenderedEmail {
  return {
    subject: `Your Guildhall sign-in code: ${p.code}`,
    text: `Your Guildhall sign-in code is ${p.code}.\nIt works only in the browser where you asked for it, and expires in ${p.ttlMinutes} minutes. Nobody from Guildhall will ever ask you for it. If you did not ask for it, ignore this email.`,
    html: emailLayout(
      "Your sign-in code",
      `<p style="font-size:28px;letter-spacing:4px;font-weight:bold">${escapeHtml(p.code)}</p><p>It works only in the browser where you asked for it, and expires in ${p.ttlMinutes} minutes. Nobody from Guildhall will ever ask you for it. If you did not ask for it, ignore this email.</p>`,
    ),
  };
}
