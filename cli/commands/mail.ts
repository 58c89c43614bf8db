import type { CliCommand } from "../command";
import { flag, output } from "../command";
import { findLastMailToOrThrow } from "@/lib/mail/find-last-mail-to";

export const mailLast: CliCommand = {
  name: "mail last",
  summary: "print the newest mail to an address (subject and text while kept; --json for all of it)",
  usage: "mail last --to E [--json]",
  async run(args) {
    const m = await findLastMailToOrThrow(flag(args, "to", true));
    output(args, m, () => [
      `To: ${m.to}`,
      `Subject: ${m.content?.subject ?? "(purged)"}`,
      `Date: ${m.createdAt.toISOString()}`,
      `Status: ${m.sentAt ? `sent (${m.transport})` : "queued"}`,
      "",
      m.content?.text ?? "Its content was purged once an SMTP server took it: the portal keeps no copy of sent mail.",
    ]);
  },
};
