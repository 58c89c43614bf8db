import { emailLayout, escapeHtml, type RenderedEmail } from "./layout";

/** To a person an org admin made an account for: that it exists, who made it, and how to sign in. */
export function accountCreatedEmail(p: { createdBy: string; roleWords: string[]; signInUrl: string }): RenderedEmail {
  const roles = p.roleWords.length
    ? ` with the role${p.roleWords.length > 1 ? "s" : ""} ${p.roleWords.join(", ")}`
    : "";
  return {
    subject: "Your Guildhall account is ready",
    text:
      `${p.createdBy} made a Guildhall account for this email address${roles}.\n\n` +
      `Sign in here with a code sent to this address, then add a passkey on your account page:\n${p.signInUrl}\n\n` +
      "If you did not expect this, ignore this email: nobody can sign in without the codes sent here.",
    html: emailLayout(
      "Your account is ready",
      `<p>${escapeHtml(p.createdBy)} made a Guildhall account for this email address${escapeHtml(roles)}.</p>` +
        `<p><a href="${escapeHtml(p.signInUrl)}" style="display:inline-block;background:#7a2e1d;color:#fff;padding:10px 16px;border-radius:6px;text-decoration:none">Sign in</a></p>` +
        '<p style="color:#555">Sign in with a code sent to this address, then add a passkey on your account page. If you did not expect this, ignore this email: nobody can sign in without the codes sent here.</p>',
    ),
  };
}
