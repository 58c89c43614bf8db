import "server-only";
import fs from "node:fs";
import {
  Environment,
  type JWSRenewalInfoDecodedPayload,
  type JWSTransactionDecodedPayload,
  type ResponseBodyV2DecodedPayload,
  SignedDataVerifier,
  VerificationException,
  VerificationStatus,
} from "@apple/app-store-server-library";
import { AppError, type FailureReason } from "@/lib/errors/app-error";
import { type AppleConfig, appStoresConfig } from "@/lib/config/app-stores";

let cached: { config: AppleConfig; verifier: SignedDataVerifier } | undefined;

/** Apple's App Store configuration, or NOT_FOUND (reason APPLE_NOT_CONFIGURED) on a portal that sells no app. */
export function appleConfigOrThrow(): AppleConfig {
  const apple = appStoresConfig().apple;
  if (!apple)
    throw new AppError("NOT_FOUND", {
      reason: "APPLE_NOT_CONFIGURED",
      userMessage: "This portal takes no App Store purchases.",
    });
  return apple;
}

/**
 * Apple's own verifier (@apple/app-store-server-library) over the configured
 * Apple roots, bundle id, app id and environment. It checks, for every signed
 * payload: the x5c chain of three certificates, the leaf and intermediate
 * signed up to one of our roots and carrying Apple's marker extensions, their
 * validity dates (now, and OCSP revocation, with online checks on; at the
 * payload's signing date without), the ES256 signature, and then the bundle
 * id, the app id (production) and the environment.
 */
function verifier(): SignedDataVerifier {
  const config = appleConfigOrThrow();
  if (cached?.config === config) return cached.verifier;
  const roots = config.rootCertificatePaths.map((p) => fs.readFileSync(p));
  const environment = config.environment === "Production" ? Environment.PRODUCTION : Environment.SANDBOX;
  const made = new SignedDataVerifier(roots, config.onlineChecks, environment, config.bundleId, config.appAppleId);
  cached = { config, verifier: made };
  return made;
}

const refusals: Partial<Record<VerificationStatus, { reason: FailureReason; userMessage: string }>> = {
  [VerificationStatus.INVALID_APP_IDENTIFIER]: {
    reason: "WRONG_APP",
    userMessage: "The signed payload is for another app (bundle id or app id).",
  },
  [VerificationStatus.INVALID_ENVIRONMENT]: {
    reason: "WRONG_ENVIRONMENT",
    userMessage: "The signed payload is from another App Store environment.",
  },
};

/** Turns the library's refusal into ours: 400 for what the sender got wrong, 503 when Apple's OCSP could not be reached. */
async function verified<T>(verify: () => Promise<T>): Promise<T> {
  try {
    return await verify();
  } catch (e) {
    if (!(e instanceof VerificationException)) throw e;
    if (e.status === VerificationStatus.RETRYABLE_VERIFICATION_FAILURE)
      throw new AppError("UNAVAILABLE", {
        reason: "VERIFICATION_RETRYABLE",
        message: `Apple verification could not complete: ${e.cause?.message ?? e.status}`,
        userMessage: "The signature could not be checked now; retry later.",
      });
    const refusal = refusals[e.status] ?? {
      reason: "BAD_SIGNATURE",
      userMessage: "The signed payload does not verify against Apple's certificates.",
    };
    throw new AppError("BAD_REQUEST", { ...refusal, message: `${refusal.reason}: status ${e.status}` });
  }
}

export type VerifiedAppleNotification = {
  notification: ResponseBodyV2DecodedPayload;
  transaction: JWSTransactionDecodedPayload | null;
  renewal: JWSRenewalInfoDecodedPayload | null;
};

/** Verifies a notification's signedPayload and the signed transaction and renewal info inside it. */
export async function verifyAppleNotification(signedPayload: string): Promise<VerifiedAppleNotification> {
  const v = verifier();
  const notification = await verified(() => v.verifyAndDecodeNotification(signedPayload));
  const data = notification.data;
  const transaction = data?.signedTransactionInfo
    ? await verified(() => v.verifyAndDecodeTransaction(data.signedTransactionInfo as string))
    : null;
  const renewal = data?.signedRenewalInfo
    ? await verified(() => v.verifyAndDecodeRenewalInfo(data.signedRenewalInfo as string))
    : null;
  return { notification, transaction, renewal };
}

/** Verifies one signed transaction (from the App Store Server API). */
export async function verifyAppleTransaction(signedTransaction: string): Promise<JWSTransactionDecodedPayload> {
  const v = verifier();
  return verified(() => v.verifyAndDecodeTransaction(signedTransaction));
}

/** Verifies one signed renewal info (from the App Store Server API's subscription statuses). */
export async function verifyAppleRenewalInfo(signedRenewalInfo: string): Promise<JWSRenewalInfoDecodedPayload> {
  const v = verifier();
  return verified(() => v.verifyAndDecodeRenewalInfo(signedRenewalInfo));
}
