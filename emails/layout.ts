/** The frame every Guildhall email shares; templates give subject, text and body HTML. */
export type RenderedEmail = { subject: string; text: string; html: string };

const htmlEntities: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => htmlEntities[c] ?? c);
}

export function emailLayout(title: string, bodyHtml: string): string {
  return `<!doctype html><html><body style="font-family:system-ui,sans-serif;background:#f6f5f2;padding:24px">
<div style="max-width:520px;margin:auto;background:#fff;border-radius:8px;padding:24px">
<h1 style="font-size:18px;margin:0 0 16px">${escapeHtml(title)}</h1>${bodyHtml}
<p style="color:#777;font-size:12px;margin-top:24px">Guildhall, the trusted layer of the federated ticketing service.</p>
</div></body></html>`;
}
