import { emailLayout, escapeHtml, type RenderedEmail } from "./layout";

export function licenseExpiringEmail(p: {
  theaterName: string;
  planName: string;
  licenseId: string;
  validUntil: Date;
  renewUrl: string;
}): RenderedEmail {
  const until = `${p.validUntil.toISOString().slice(0, 16).replace("T", " ")} UTC`;
  return {
    subject: `Your Guildhall license for ${p.theaterName} ends on ${until.slice(0, 10)}`,
    text: `The ${p.planName} license ${p.licenseId} of ${p.theaterName} ends on ${until}.\nAfter that its certificate stops working at the hosts. Renew it here: ${p.renewUrl}`,
    html: emailLayout(
      "Your license ends soon",
      `<p>The <b>${escapeHtml(p.planName)}</b> license <code>${escapeHtml(p.licenseId)}</code> of ${escapeHtml(p.theaterName)} ends on <b>${escapeHtml(until)}</b>.</p>
<p>After that its certificate stops working at the hosts.</p><p><a href="${escapeHtml(p.renewUrl)}">Renew the license</a></p>`,
    ),
  };
}
