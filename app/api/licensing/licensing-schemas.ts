import { z } from "zod";
import { isoDateTime } from "@/lib/http/api-contract";
import { licensingFailureReasons } from "@/lib/licensing/failure-reasons";
import { paymentsFailureReasons } from "@/lib/payments/failure-reasons";
import { splitsFailureReasons } from "@/lib/splits/failure-reasons";
import { receiptResponseSchema } from "@/app/api/log/schemas";

/** What the licensing routes share: a plan, a license purchase's checkout, a certificate bundle. */

export const licensingReasons = [licensingFailureReasons];
/** Buying a license opens a checkout through payments, which needs an active split policy. */
export const licensePurchaseReasons = [licensingFailureReasons, paymentsFailureReasons, splitsFailureReasons];

export const licensePlanSchema = z.object({
  id: z.string(),
  name: z.string(),
  termDays: z.number().int(),
  priceMinor: z.number().int(),
  currency: z.string(),
  entitlements: z.record(z.string(), z.number()),
  createdAt: isoDateTime,
  archivedAt: isoDateTime.nullable(),
});

export const licensePurchaseResponseSchema = z.object({
  licenseId: z.string(),
  checkoutId: z.string(),
  url: z.string().nullable().meta({ description: "Where the buyer pays" }),
});

export const certificateBundleSchema = z.object({
  certificateId: z.string(),
  serialHex: z.string(),
  notAfter: isoDateTime,
  certificatePem: z.string(),
  chainPem: z.string(),
  licenseDocument: z.string().meta({ description: "The signed license document (compact JWS)" }),
  log: receiptResponseSchema.nullable().meta({ description: "The issuance's log receipt" }),
});

export const licenseIdParams = z.object({ licenseId: z.string() });
