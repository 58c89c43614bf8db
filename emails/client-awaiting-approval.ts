import { emailLayout, escapeHtml, type RenderedEmail } from "./layout";

/** To the org admins when a host registers an OpenID client, which signs nobody in until an admin approves it. */
export function clientAwaitingApprovalEmail(p: {
  clientName: string;
  hostName: string;
  redirectHosts: string[];
  reviewUrl: string;
}): RenderedEmail {
  return {
    subject: `${p.hostName} registered “${p.clientName}”: it awaits your approval`,
    text:
      `${p.hostName} registered the application “${p.clientName}” (redirects to ${p.redirectHosts.join(", ")}).\n` +
      `It cannot sign anyone in until an org admin approves it:\n${p.reviewUrl}`,
    html: emailLayout(
      "An application awaits approval",
      `<p>${escapeHtml(p.hostName)} registered the application <b>${escapeHtml(p.clientName)}</b> (redirects to ${escapeHtml(p.redirectHosts.join(", "))}).</p>` +
        `<p>It cannot sign anyone in until an org admin approves it.</p><p><a href="${escapeHtml(p.reviewUrl)}">Review it</a></p>`,
    ),
  };
}
