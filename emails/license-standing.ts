import { emailLayout, escapeHtml, type RenderedEmail } from "./layout";

/** To a theater's admins when an org admin or finance suspends, reinstates or revokes its license. */
export function licenseStandingEmail(p: {
  theaterName: string;
  planName: string;
  licenseId: string;
  to: "SUSPENDED" | "ACTIVE" | "REVOKED";
  reason: string;
  licensingUrl: string;
}): RenderedEmail {
  const what = {
    SUSPENDED: {
      subject: `The license of ${p.theaterName} is suspended`,
      title: "Your license is suspended",
      effect:
        "Its certificates are on hold: the hosts refuse your management client until the license is reinstated. Reply to your Guildhall contact to resolve the reason below.",
    },
    ACTIVE: {
      subject: `The license of ${p.theaterName} is reinstated`,
      title: "Your license is active again",
      effect: "Its certificates work again at the hosts; nothing needs to be done on your side.",
    },
    REVOKED: {
      subject: `The license of ${p.theaterName} is revoked`,
      title: "Your license is revoked",
      effect:
        "This is final: its certificates are revoked and the hosts refuse them. To keep working with the hosts, buy a new license.",
    },
  }[p.to];
  return {
    subject: what.subject,
    text:
      `The ${p.planName} license ${p.licenseId} of ${p.theaterName}: ${what.title.toLowerCase()}.\n\n` +
      `Reason given: ${p.reason}\n\n${what.effect}\n\nYour licenses: ${p.licensingUrl}`,
    html: emailLayout(
      what.title,
      `<p>The <b>${escapeHtml(p.planName)}</b> license <code>${escapeHtml(p.licenseId)}</code> of ${escapeHtml(p.theaterName)}.</p>` +
        `<p><b>Reason given:</b> ${escapeHtml(p.reason)}</p><p>${escapeHtml(what.effect)}</p>` +
        `<p><a href="${escapeHtml(p.licensingUrl)}">Your licenses</a></p>`,
    ),
  };
}
