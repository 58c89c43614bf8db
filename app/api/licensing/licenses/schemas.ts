import { z } from "zod";
import { defineOperation, isoDateTime } from "@/lib/http/api-contract";
import {
  licensePurchaseReasons,
  licensePurchaseResponseSchema,
  licensingReasons,
} from "@/app/api/licensing/licensing-schemas";

export const buyLicenseRequestSchema = z.object({
  theaterOrgId: z.string().min(1).max(100),
  planId: z.string().min(1).max(100),
});
export const theaterLicensesResponseSchema = z.object({
  licenses: z.array(
    z.object({
      id: z.string(),
      theater: z.object({ id: z.string(), name: z.string(), slug: z.string() }),
      plan: z.object({
        id: z.string(),
        name: z.string(),
        priceMinor: z.number().int(),
        currency: z.string(),
        termDays: z.number().int(),
      }),
      state: z.enum(["pending_payment", "active", "expired", "suspended", "revoked"]),
      statusReason: z.string().nullable(),
      entitlements: z.record(z.string(), z.number()),
      validFrom: isoDateTime.nullable(),
      validUntil: isoDateTime.nullable(),
      currentCertificate: z
        .object({
          id: z.string(),
          serialHex: z.string(),
          status: z.enum(["GOOD", "HELD", "REVOKED"]),
          notAfter: isoDateTime,
          keyAlgorithm: z.string(),
        })
        .nullable(),
    }),
  ),
});

export const listTheaterLicensesOperation = defineOperation({
  method: "GET",
  path: "/api/licensing/licenses",
  operationId: "listTheaterLicenses",
  summary: "The licenses of the theaters the caller administers (a token sees its one theater)",
  auth: "session-or-theater-token",
  responses: { 200: { description: "The licenses", schema: theaterLicensesResponseSchema } },
  reasons: licensingReasons,
});

export const buyLicenseOperation = defineOperation({
  method: "POST",
  path: "/api/licensing/licenses",
  operationId: "buyLicense",
  summary: "Buy a plan for a theater: answers the checkout URL to send the buyer to",
  auth: "session-or-theater-token",
  access: "an admin of the theater",
  request: { body: buyLicenseRequestSchema },
  responses: { 201: { description: "The checkout", schema: licensePurchaseResponseSchema } },
  errors: { 404: "No such theater or plan" },
  reasons: licensePurchaseReasons,
});
