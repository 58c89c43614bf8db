import { readForm, seeOther } from "@/lib/http/form-or-json";
import { apiRoute } from "@/lib/http/api-route";
import { env } from "@/lib/config/env";
import { isAppError } from "@/lib/errors/app-error";
import { completeSimulatedCheckout } from "@/lib/payments/complete-simulated-checkout";
import { simulatedPaymentFormSchema, pathParams } from "@/app/api/pay/simulated/[orderId]/schemas";

/**
 * The simulated checkout form posts here. A person paying is not signed in
 * (the buyer may be anyone), as on Stripe's page; the Origin check still
 * refuses other sites. Answers with a redirect, like a hosted checkout.
 */
export const POST = apiRoute(
  async (req, { params }) => {
    const { card } = simulatedPaymentFormSchema.parse({ card: "", ...(await readForm(req)) });
    const base = env().publicUrl;
    const back = (query: string) => `${base}/pay/simulated/${encodeURIComponent(params.orderId)}?${query}`;
    try {
      const result = await completeSimulatedCheckout({ orderId: params.orderId, cardNumber: card });
      if (result.result === "declined") return seeOther(back("declined=1"));
      const sep = result.successPath.includes("?") ? "&" : "?";
      return seeOther(`${base}${result.successPath}${sep}order=${encodeURIComponent(result.orderId)}`);
    } catch (e) {
      if (isAppError(e) && e.statusCode < 500) return seeOther(back(`error=${encodeURIComponent(e.userMessage)}`));
      throw e;
    }
  },
  { params: pathParams },
);
