import { emailLayout, escapeHtml, type RenderedEmail } from "./layout";

/** What each kind of finance alert is about, as its mail's title says it. */
const financeAlertTitles: Record<string, string> = {
  reconciliation: "The provider and the ledger disagree",
  connected_payout_failed: "A payout needs attention",
  store_funding_currency: "A store funding is billed in another currency",
  store_unmapped_product: "A store subscription changes to a product not mapped",
  store_purchase_not_recorded: "A store purchase could not be recorded",
};

/** One thing finance must look at: what happened and where to see it. */
export function financeAlertEmail(p: { kind: string; message: string; link: string }): RenderedEmail {
  const what = financeAlertTitles[p.kind] ?? "A payout needs attention";
  return {
    subject: `Guildhall finance alert: ${what.toLowerCase()}`,
    text: `${what}.\n\n${p.message}\n\nOpen alerts: ${p.link}`,
    html: emailLayout(what, `<p>${escapeHtml(p.message)}</p><p><a href="${escapeHtml(p.link)}">Open alerts</a></p>`),
  };
}
