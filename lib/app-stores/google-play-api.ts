import "server-only";
import fs from "node:fs";
import type { androidpublisher_v3 } from "@googleapis/androidpublisher";
import { z } from "zod";
import { AppError } from "@/lib/errors/app-error";
import type { GooglePlayConfig } from "@/lib/config/app-stores";
import { googlePlayConfigOrThrow } from "@/lib/app-stores/google-play-config";

export type ProductPurchase = androidpublisher_v3.Schema$ProductPurchaseV2;
export type SubscriptionPurchase = androidpublisher_v3.Schema$SubscriptionPurchaseV2;
export type PlayOrder = androidpublisher_v3.Schema$Order;
export type VoidedPurchase = androidpublisher_v3.Schema$VoidedPurchase;

const googleTokenUrl = "https://oauth2.googleapis.com/token";
const keyFileSchema = z.object({
  client_email: z.email(),
  private_key: z.string().min(1),
  private_key_id: z.string().optional(),
});

let cached: { key: string; api: androidpublisher_v3.Androidpublisher } | undefined;

/**
 * The Play Developer API (androidpublisher v3) through Google's own client,
 * authenticated as the configured service account (its JSON key file; the
 * client signs an RS256 assertion and trades it for an access token). With
 * GOOGLE_PLAY_API_BASE set (the tests' double) only the addresses change: the
 * API's root, and the token endpoint's, which the auth library otherwise
 * fixes to Google's.
 */
async function api(config: GooglePlayConfig): Promise<androidpublisher_v3.Androidpublisher> {
  const cacheKey = JSON.stringify([config.serviceAccountKeyPath, config.apiBase]);
  if (cached?.key === cacheKey) return cached.api;
  // Google's client is imported at the first call: the composition root reaches this file (the acknowledgement
  // effect), and the client costs a quarter second of CPU to load in each process that never calls Google.
  const { androidpublisher_v3, auth } = await import("@googleapis/androidpublisher");
  const key = keyFileSchema.parse(JSON.parse(fs.readFileSync(config.serviceAccountKeyPath, "utf8")));
  const client = new auth.JWT({
    email: key.client_email,
    key: key.private_key,
    keyId: key.private_key_id,
    scopes: ["https://www.googleapis.com/auth/androidpublisher"],
  });
  const base = config.apiBase?.replace(/\/+$/, "");
  if (base)
    client.transporter.interceptors.request.add({
      resolved: async (options) => {
        if (String(options.url) === googleTokenUrl) options.url = new URL(`${base}/token`);
        return options;
      },
    });
  const made = new androidpublisher_v3.Androidpublisher({
    auth: client,
    ...(base ? { rootUrl: `${base}/` } : {}),
    retry: false,
  });
  cached = { key: cacheKey, api: made };
  return made;
}

/**
 * Turns the API's refusals into ours. A purchase token or order Google does
 * not know (404/410) is the notification's mistake (BAD_REQUEST,
 * PURCHASE_NOT_FOUND); anything else (Google unreachable, 5xx, our
 * credentials refused) is UNAVAILABLE, so Pub/Sub retries the push and
 * nothing is lost while it is fixed.
 */
async function call<T>(what: string, run: () => Promise<{ data: T }>): Promise<T> {
  try {
    return (await run()).data;
  } catch (e) {
    const status =
      (e as { status?: number; response?: { status?: number } }).status ??
      (e as { response?: { status?: number } }).response?.status;
    if (status === 404 || status === 410)
      throw new AppError("BAD_REQUEST", {
        reason: "PURCHASE_NOT_FOUND",
        message: `Play Developer API ${what}: ${status}`,
        userMessage: "Google Play does not know this purchase.",
      });
    throw new AppError("UNAVAILABLE", {
      reason: "GOOGLE_PLAY_API_FAILED",
      message: `Play Developer API ${what} failed: ${status ?? (e as Error).message}`,
      userMessage: "Google Play could not be asked about this purchase now; retry later.",
    });
  }
}

/** The calls Guildhall makes, each with the configured package name. */
export function googlePlayApi(config: GooglePlayConfig = googlePlayConfigOrThrow()) {
  const packageName = config.packageName;
  return {
    // purchases.productsv2: the one-time purchase with its line items (product, quantity) and named states;
    // purchases.products.get is its predecessor. Acknowledging is still per product (products.acknowledge).
    getProduct: (token: string) =>
      call<ProductPurchase>("purchases.productsv2.getproductpurchasev2", async () =>
        (await api(config)).purchases.productsv2.getproductpurchasev2({ packageName, token }),
      ),
    acknowledgeProduct: (productId: string, token: string) =>
      call<unknown>("purchases.products.acknowledge", async () =>
        (await api(config)).purchases.products.acknowledge({ packageName, productId, token, requestBody: {} }),
      ),
    getSubscription: (token: string) =>
      call<SubscriptionPurchase>("purchases.subscriptionsv2.get", async () =>
        (await api(config)).purchases.subscriptionsv2.get({ packageName, token }),
      ),
    acknowledgeSubscription: (subscriptionId: string, token: string) =>
      call<unknown>("purchases.subscriptions.acknowledge", async () =>
        (await api(config)).purchases.subscriptions.acknowledge({
          packageName,
          subscriptionId,
          token,
          requestBody: {},
        }),
      ),
    getOrder: (orderId: string) =>
      call<PlayOrder>("orders.get", async () => (await api(config)).orders.get({ packageName, orderId })),
    listVoided: (params: { startTime: number; endTime?: number; pageToken?: string }) =>
      call<androidpublisher_v3.Schema$VoidedPurchasesListResponse>("purchases.voidedpurchases.list", async () =>
        (await api(config)).purchases.voidedpurchases.list({
          packageName,
          startTime: String(params.startTime),
          ...(params.endTime ? { endTime: String(params.endTime) } : {}),
          ...(params.pageToken ? { token: params.pageToken } : {}),
          // 1: quantity-based partial refunds are listed too, with their voided quantity.
          type: 1,
          maxResults: 1000,
        }),
      ),
  };
}

export type GooglePlayApi = ReturnType<typeof googlePlayApi>;
