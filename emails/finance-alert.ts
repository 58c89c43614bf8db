import { emailLayout, escapeHtml, type RenderedEmail } from "./layout";

/** One thing finance must look at: what happened and where to see it. */
export function financeAlertEmail(p: { kind: string; message: string; link: string }): RenderedEmail {
  const what = p.kind === "reconciliation" ? "The provider and the ledger disagree" : "A payout needs attention";
  return {
    subject: `Guildhall finance alert: ${what.toLowerCase()}`,
    text: `${what}.\n\n${p.message}\n\nOpen alerts: ${p.link}`,
    html: emailLayout(what, `<p>${escapeHtml(p.message)}</p><p><a href="${escapeHtml(p.link)}">Open alerts</a></p>`),
  };
}
