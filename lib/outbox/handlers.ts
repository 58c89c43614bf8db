import type { OutboxHandler } from "@/lib/outbox/run-outbox";
import { deliverMail } from "@/lib/mail/deliver-mail";
import { transferPayoutItem } from "@/lib/payouts/transfer-payout-item";
import { deliverBackchannelLogout } from "@/lib/oidc/logout/deliver-backchannel-logout";

/** Every kind of outgoing effect and the function that delivers it. */
export const outboxHandlers: Record<string, OutboxHandler> = {
  "mail.send": deliverMail,
  "payout.transfer": transferPayoutItem,
  "oidc.backchannel_logout": deliverBackchannelLogout,
};
