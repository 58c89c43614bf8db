import "server-only";
import { z } from "zod";

/**
 * The app stores' configuration, read from the environment once (docs/APPSTORE.md).
 * Apple is on when APPLE_BUNDLE_ID is set; its root certificates are files
 * (Apple's "AppleRootCA-G3.cer" and the like, downloaded from
 * https://www.apple.com/certificateauthority/), named in APPLE_ROOT_CERTIFICATES,
 * comma-separated. Kept apart from lib/config/env.ts: none of it is a secret
 * the portal generates, and a portal without app stores needs none of it.
 */
const flag = z.enum(["0", "1"]);
const schema = z.object({
  APPLE_BUNDLE_ID: z.string().min(1).optional(),
  APPLE_ENVIRONMENT: z.enum(["Production", "Sandbox"]).default("Production"),
  APPLE_APP_APPLE_ID: z.coerce.number().int().positive().optional(),
  APPLE_ROOT_CERTIFICATES: z.string().min(1).optional(),
  // 1: revocation checked online (OCSP) and certificates valid now; 0: checked at the payload's signing date, offline.
  APPLE_ONLINE_CHECKS: flag.default("1"),
  // The store's commission in basis points of the price (3000 = 30%; 1500 under the Small Business Program).
  APPLE_COMMISSION_BPS: z.coerce.number().int().min(0).max(10_000).default(3000),
  // The App Store Server API: a key made in App Store Connect (a .p8 file), its id and the issuer id.
  APPLE_API_KEY_PATH: z.string().min(1).optional(),
  APPLE_API_KEY_ID: z.string().min(1).optional(),
  APPLE_API_ISSUER_ID: z.string().min(1).optional(),
  // Another base URL for the API (a local double in tests); unset: Apple's, by environment.
  APPLE_API_BASE: z.url().optional(),
  // 1 when the app's terms ask buyers' consent to share consumption data with Apple on a refund request.
  APPLE_CONSUMPTION_CONSENT: flag.default("0"),
  // Google Play: on when the app's package name is set.
  GOOGLE_PLAY_PACKAGE_NAME: z.string().min(1).optional(),
  // The Pub/Sub push subscription's OIDC token: the audience it was set up with, and its service account.
  GOOGLE_PLAY_PUSH_AUDIENCE: z.string().min(1).optional(),
  GOOGLE_PLAY_PUSH_SERVICE_ACCOUNT: z.email().optional(),
  // Where Google's token-signing keys are published (a local JWKS in tests).
  GOOGLE_PLAY_PUSH_JWKS_URL: z.url().default("https://www.googleapis.com/oauth2/v3/certs"),
  // The Play Developer API: a service account's JSON key file, granted the app in Play Console.
  GOOGLE_PLAY_SERVICE_ACCOUNT_KEY_PATH: z.string().min(1).optional(),
  // Another base URL for the Play Developer API and its token endpoint (a local double in tests).
  GOOGLE_PLAY_API_BASE: z.url().optional(),
  GOOGLE_PLAY_COMMISSION_BPS: z.coerce.number().int().min(0).max(10_000).default(1500),
  // 1: license testers' purchases (purchaseType 0 / testPurchase) make orders too (a test track); 0: they make none.
  GOOGLE_PLAY_ACCEPT_TEST_PURCHASES: flag.default("0"),
});

export type AppleConfig = {
  bundleId: string;
  environment: "Production" | "Sandbox";
  appAppleId: number | undefined;
  rootCertificatePaths: string[];
  onlineChecks: boolean;
  commissionBps: number;
  api: { keyPath: string; keyId: string; issuerId: string; base: string | undefined } | null;
  consumptionConsent: boolean;
};

export type GooglePlayConfig = {
  packageName: string;
  push: { audience: string; serviceAccount: string; jwksUrl: string };
  serviceAccountKeyPath: string;
  apiBase: string | undefined;
  commissionBps: number;
  acceptTestPurchases: boolean;
};

export type AppStoresConfig = { apple: AppleConfig | null; google: GooglePlayConfig | null };

export class AppStoreConfigError extends Error {}

export function parseAppStoresConfig(source: NodeJS.ProcessEnv): AppStoresConfig {
  const parsed = schema.safeParse(source);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new AppStoreConfigError(`Invalid environment variable ${String(first.path[0])}: ${first.message}`);
  }
  const e = parsed.data;
  return { apple: parseApple(e), google: parseGoogle(e) };
}

function parseGoogle(e: z.infer<typeof schema>): GooglePlayConfig | null {
  if (!e.GOOGLE_PLAY_PACKAGE_NAME) return null;
  for (const name of [
    "GOOGLE_PLAY_PUSH_AUDIENCE",
    "GOOGLE_PLAY_PUSH_SERVICE_ACCOUNT",
    "GOOGLE_PLAY_SERVICE_ACCOUNT_KEY_PATH",
  ] as const)
    if (!e[name]) throw new AppStoreConfigError(`${name} is required when GOOGLE_PLAY_PACKAGE_NAME is set`);
  return {
    packageName: e.GOOGLE_PLAY_PACKAGE_NAME,
    push: {
      audience: e.GOOGLE_PLAY_PUSH_AUDIENCE as string,
      serviceAccount: e.GOOGLE_PLAY_PUSH_SERVICE_ACCOUNT as string,
      jwksUrl: e.GOOGLE_PLAY_PUSH_JWKS_URL,
    },
    serviceAccountKeyPath: e.GOOGLE_PLAY_SERVICE_ACCOUNT_KEY_PATH as string,
    apiBase: e.GOOGLE_PLAY_API_BASE,
    commissionBps: e.GOOGLE_PLAY_COMMISSION_BPS,
    acceptTestPurchases: e.GOOGLE_PLAY_ACCEPT_TEST_PURCHASES === "1",
  };
}

function parseApple(e: z.infer<typeof schema>): AppleConfig | null {
  if (!e.APPLE_BUNDLE_ID) return null;
  if (!e.APPLE_ROOT_CERTIFICATES)
    throw new AppStoreConfigError("APPLE_ROOT_CERTIFICATES is required when APPLE_BUNDLE_ID is set");
  if (e.APPLE_ENVIRONMENT === "Production" && e.APPLE_APP_APPLE_ID === undefined)
    throw new AppStoreConfigError("APPLE_APP_APPLE_ID is required when APPLE_ENVIRONMENT is Production");
  const apiParts = [e.APPLE_API_KEY_PATH, e.APPLE_API_KEY_ID, e.APPLE_API_ISSUER_ID];
  if (apiParts.some(Boolean) && !apiParts.every(Boolean))
    throw new AppStoreConfigError("APPLE_API_KEY_PATH, APPLE_API_KEY_ID and APPLE_API_ISSUER_ID go together");
  return {
    bundleId: e.APPLE_BUNDLE_ID,
    environment: e.APPLE_ENVIRONMENT,
    appAppleId: e.APPLE_APP_APPLE_ID,
    rootCertificatePaths: e.APPLE_ROOT_CERTIFICATES.split(",").map((p) => p.trim()),
    onlineChecks: e.APPLE_ONLINE_CHECKS === "1",
    commissionBps: e.APPLE_COMMISSION_BPS,
    api:
      e.APPLE_API_KEY_PATH && e.APPLE_API_KEY_ID && e.APPLE_API_ISSUER_ID
        ? {
            keyPath: e.APPLE_API_KEY_PATH,
            keyId: e.APPLE_API_KEY_ID,
            issuerId: e.APPLE_API_ISSUER_ID,
            base: e.APPLE_API_BASE,
          }
        : null,
    consumptionConsent: e.APPLE_CONSUMPTION_CONSENT === "1",
  };
}

let cached: AppStoresConfig | undefined;

/** This process's app-store configuration, parsed on first use. */
export function appStoresConfig(): AppStoresConfig {
  cached ??= parseAppStoresConfig(process.env);
  return cached;
}

/** For tests that change the environment between cases. */
export function resetAppStoresConfigForTests(): void {
  cached = undefined;
}
