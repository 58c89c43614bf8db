import { defineOperation } from "@/lib/http/api-contract";
import {
  licenseIdParams,
  licensePurchaseReasons,
  licensePurchaseResponseSchema,
} from "@/app/api/licensing/licensing-schemas";

export const payForLicenseOperation = defineOperation({
  method: "POST",
  path: "/api/licensing/licenses/{licenseId}/checkout",
  operationId: "payForLicense",
  summary: "Pay for a pending license, or renew an active or expired one: answers the checkout URL",
  auth: "session-or-theater-token",
  access: "an admin of the license's theater",
  request: { params: licenseIdParams },
  responses: { 201: { description: "The checkout to send the buyer to", schema: licensePurchaseResponseSchema } },
  errors: { 404: "No such license", 409: "The license cannot be paid for now" },
  reasons: licensePurchaseReasons,
});
