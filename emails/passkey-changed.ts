import { emailLayout, escapeHtml, type RenderedEmail } from "./layout";

/**
 * A security notice to the account's address whenever a passkey is added or
 * removed, so a person learns at once if someone else changed how their
 * account is signed in to.
 */
export function passkeyChangedEmail(p: {
  change: "added" | "removed";
  passkeyName: string;
  accountUrl: string;
}): RenderedEmail {
  const title =
    p.change === "added" ? "A passkey was added to your account" : "A passkey was removed from your account";
  const advice = `If this was not you, sign in with an email code at ${p.accountUrl}, remove passkeys you do not recognise and sign out everywhere.`;
  return {
    subject: `Guildhall: ${title.toLowerCase()}`,
    text: `${title}: "${p.passkeyName}".\n\n${advice}`,
    html: emailLayout(
      title,
      `<p>Passkey: <strong>${escapeHtml(p.passkeyName)}</strong></p><p>${escapeHtml(advice)}</p>`,
    ),
  };
}
