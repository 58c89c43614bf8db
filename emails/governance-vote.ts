import { emailLayout, escapeHtml, type RenderedEmail } from "./layout";

type VoteMail = { title: string; kindLabel: string; url: string; closesAt: Date; binding: boolean };

function when(d: Date): string {
  return `${d.toISOString().replace("T", " ").slice(0, 16)} UTC`;
}

export function voteOpenedEmail(p: VoteMail): RenderedEmail {
  const role = p.binding ? "Your vote is binding." : "Your vote is non-binding (committer).";
  return {
    subject: `Vote open: ${p.title}`,
    text: `A ${p.kindLabel.toLowerCase()} vote is open: ${p.title}\n${role}\nIt closes at ${when(p.closesAt)}.\nRead it and vote: ${p.url}`,
    html: emailLayout(
      `Vote open: ${p.title}`,
      `<p>A ${escapeHtml(p.kindLabel.toLowerCase())} vote is open. ${escapeHtml(role)}</p><p>It closes at ${escapeHtml(when(p.closesAt))}.</p><p><a href="${escapeHtml(p.url)}">Read it and vote</a></p>`,
    ),
  };
}

export function voteClosingEmail(p: VoteMail): RenderedEmail {
  return {
    subject: `Vote closes in 24 hours: ${p.title}`,
    text: `The vote "${p.title}" closes at ${when(p.closesAt)}.\nYou can still vote or change your vote: ${p.url}`,
    html: emailLayout(
      `Vote closes in 24 hours`,
      `<p>The vote <strong>${escapeHtml(p.title)}</strong> closes at ${escapeHtml(when(p.closesAt))}.</p><p><a href="${escapeHtml(p.url)}">You can still vote or change your vote</a></p>`,
    ),
  };
}
