import { apiRoute } from "@/lib/http/api-route";
import { AppError } from "@/lib/errors/app-error";
import { processAppleNotification } from "@/lib/app-stores/process-apple-notification";
import { answer } from "@/lib/http/api-contract";
import { storeNotificationReceiptSchema } from "@/app/api/webhooks/webhook-schemas";

/**
 * App Store Server Notifications V2. Apple posts `{ "signedPayload": ... }`
 * and retries unless answered 2xx; a payload that does not verify, or that
 * names what Guildhall does not sell, is answered 4xx and changes nothing.
 */
export const POST = apiRoute(
  async (req) => {
    let body: unknown;
    try {
      body = await req.json();
    } catch {
      throw new AppError("BAD_REQUEST", { reason: "MALFORMED_NOTIFICATION", userMessage: "The body is not JSON." });
    }
    const result = await processAppleNotification(body);
    return answer(
      storeNotificationReceiptSchema,
      { received: true, duplicate: result.duplicate, outcome: result.outcome },
      { headers: { "cache-control": "no-store" } },
    );
  },
  { crossOrigin: true },
);
