import { emailLayout, escapeHtml, type RenderedEmail } from "./layout";

export function orgInvitationEmail(p: {
  orgName: string;
  roleLabel: string;
  inviterName: string;
  acceptUrl: string;
  ttlDays: number;
}): RenderedEmail {
  return {
    subject: `You are invited to ${p.orgName} on Guildhall`,
    text:
      `${p.inviterName} invited you to join ${p.orgName} on Guildhall as ${p.roleLabel}.\n\n` +
      `Accept the invitation here (sign in with this email address first):\n${p.acceptUrl}\n\n` +
      `The link works once and expires in ${p.ttlDays} days. If you did not expect it, ignore this email.`,
    html: emailLayout(
      `Join ${p.orgName}`,
      `<p>${escapeHtml(p.inviterName)} invited you to join <strong>${escapeHtml(p.orgName)}</strong> on Guildhall as ${escapeHtml(p.roleLabel)}.</p>` +
        `<p><a href="${escapeHtml(p.acceptUrl)}" style="display:inline-block;background:#7a2e1d;color:#fff;padding:10px 16px;border-radius:6px;text-decoration:none">Accept the invitation</a></p>` +
        `<p style="color:#555">Sign in with this email address first. The link works once and expires in ${p.ttlDays} days. If you did not expect it, ignore this email.</p>`,
    ),
  };
}
