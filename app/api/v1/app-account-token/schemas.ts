import { z } from "zod";
import { defineOperation } from "@/lib/http/api-contract";
import { appStoresFailureReasons } from "@/lib/app-stores/failure-reasons";
import { checkoutApiFailureReasons } from "@/lib/payments/failure-reasons";

export const appAccountTokenResponseSchema = z.object({
  appAccountToken: z.string().meta({ description: "A UUID the app sets on its App Store purchases" }),
});

export const appAccountTokenOperation = defineOperation({
  method: "POST",
  path: "/api/v1/app-account-token",
  operationId: "registerAppAccountToken",
  summary: "The app account token a signed-in app sets on its App Store purchases (docs/APPSTORE.md)",
  description: "Idempotent: the same user and client get the same token.",
  auth: "user-access-token",
  responses: { 200: { description: "The token", schema: appAccountTokenResponseSchema } },
  errors: { 403: "A client-credentials token names no user (USER_TOKEN_REQUIRED)" },
  reasons: [appStoresFailureReasons, { invalid_token: checkoutApiFailureReasons.invalid_token }],
});
