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
  // The hold of lib/governance/require-settled-passkey.ts is what gives the owner time to act on this mail.
  const hold =
    p.change === "added" ? " Beside a passkey you already had, the new one signs no ballot for the first hour." : "";
  const advice = `If this was not you, sign in with an email code at ${p.accountUrl}, remove passkeys you do not recognise and sign out everywhere.${hold}`;
  return {
    subject: `Guildhall: ${title.toLowerCase()}`,
    text: `${title}: "${p.passkeyName}".\n\n${advice}`,
    html: emailLayout(
      title,
      `<p>Passkey: <strong>${escapeHtml(p.passkeyName)}</strong></p><p>${escapeHtml(advice)}</p>`,
    ),
  };
}
