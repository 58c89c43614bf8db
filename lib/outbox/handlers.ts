import type { OutboxHandler } from "@/lib/outbox/run-outbox";
import { deliverMail } from "@/lib/mail/deliver-mail";
import { handleReissueCertificates, REISSUE_CERTIFICATES_EFFECT } from "@/lib/licensing/reissue-certificates-for-renewal";
import { transferPayoutItem } from "@/lib/payouts/transfer-payout-item";
import { deliverBackchannelLogout } from "@/lib/oidc/logout/deliver-backchannel-logout";

/** Every kind of outgoing effect and the function that delivers it. */
export const outboxHandlers: Record<string, OutboxHandler> = {
  "mail.send": deliverMail,
  [REISSUE_CERTIFICATES_EFFECT]: handleReissueCertificates,
  "payout.transfer": transferPayoutItem,
  "oidc.backchannel_logout": deliverBackchannelLogout,
};
