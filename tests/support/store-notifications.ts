import { randomUUID } from "node:crypto";

/** Signs a payload as the App Store does (a JWS with its chain): AppleTestPki's sign, or its foreign chain's. */
export type AppleSign = (payload: object) => Promise<string>;

/**
 * An App Store Server Notification V2 as Apple posts it: the notification signed around a transaction (and
 * renewal info) each signed too, the one way every App Store test makes one. `sign` signs the outer payload
 * (a forged notification passes the foreign chain's); the transaction and renewal are signed with `signInner`
 * (the trusted chain, unless said otherwise).
 */
export async function signAppleNotification(input: {
  sign: AppleSign;
  signInner?: AppleSign;
  type: string;
  transaction: object | null;
  bundleId: string;
  environment?: string;
  subtype?: string;
  signedDate?: number;
  renewal?: object;
  uuid?: string;
  data?: object;
}): Promise<string> {
  const inner = input.signInner ?? input.sign;
  return input.sign({
    notificationType: input.type,
    ...(input.subtype ? { subtype: input.subtype } : {}),
    notificationUUID: input.uuid ?? randomUUID(),
    version: "2.0",
    signedDate: input.signedDate ?? Date.now(),
    data: {
      bundleId: input.bundleId,
      environment: input.environment ?? "Sandbox",
      ...(input.transaction ? { signedTransactionInfo: await inner(input.transaction) } : {}),
      ...(input.renewal ? { signedRenewalInfo: await inner(input.renewal) } : {}),
      ...input.data,
    },
  });
}

/**
 * Pub/Sub's push body around a Google Play developer notification, as Pub/Sub posts it (the notification
 * base64 in `message.data`), the one way every Google Play test makes one. The OIDC token that comes with it
 * is the Play double's (`pushToken`).
 */
export function googlePlayPush(
  notification: object,
  opts: { packageName: string; at?: number; messageId?: string; subscription?: string },
) {
  const message = {
    version: "1.0",
    packageName: opts.packageName,
    eventTimeMillis: String(opts.at ?? Date.now()),
    ...notification,
  };
  return {
    message: {
      data: Buffer.from(JSON.stringify(message)).toString("base64"),
      messageId: opts.messageId ?? randomUUID(),
      publishTime: new Date().toISOString(),
    },
    subscription: opts.subscription ?? "projects/guildhall-test/subscriptions/play-rtdn",
  };
}
