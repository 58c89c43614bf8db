import type { OutboxHandler } from "@/lib/outbox/run-outbox";
import { deliverMail } from "@/lib/mail/deliver-mail";
import { deliverBackchannelLogout } from "@/lib/oidc/logout/deliver-backchannel-logout";

/** Every kind of outgoing effect and the function that delivers it. */
export const outboxHandlers: Record<string, OutboxHandler> = {
  "mail.send": deliverMail,
  "oidc.backchannel_logout": deliverBackchannelLogout,
};
