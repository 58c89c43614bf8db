import { apiRoute } from "@/lib/http/api-route";
import { AppError } from "@/lib/errors/app-error";
import { processGooglePlayNotification } from "@/lib/app-stores/process-google-play-notification";
import { answer } from "@/lib/http/api-contract";
import { storeNotificationReceiptSchema } from "@/app/api/webhooks/webhook-schemas";

/**
 * Google Play real-time developer notifications, pushed by a Pub/Sub push
 * subscription with an OIDC token. Pub/Sub retries unless answered 2xx; a
 * push whose token does not verify, or that names what Guildhall does not
 * sell, is answered 4xx and changes nothing.
 */
export const POST = apiRoute(
  async (req) => {
    let body: unknown;
    try {
      body = await req.json();
    } catch {
      throw new AppError("BAD_REQUEST", { reason: "MALFORMED_NOTIFICATION", userMessage: "The body is not JSON." });
    }
    const result = await processGooglePlayNotification({ authorization: req.headers.get("authorization"), body });
    return answer(
      storeNotificationReceiptSchema,
      { received: true, duplicate: result.duplicate, outcome: result.outcome },
      { headers: { "cache-control": "no-store" } },
    );
  },
  { crossOrigin: true },
);
