import { z } from "zod";
import { isoDateTime, minorUnitsString } from "@/lib/http/api-contract";
import { payoutsFailureReasons } from "@/lib/payouts/failure-reasons";
import { paymentProviderFailureReasons } from "@/lib/payment-provider/failure-reasons";
import { splitsFailureReasons } from "@/lib/splits/failure-reasons";

/**
 * What the finance routes share. Their pages post forms (a 303 back to the
 * page); API callers send JSON and get these bodies.
 */
export const formOrJson = ["application/json", "application/x-www-form-urlencoded"];
export const seeOtherResponse = { description: "A form's post: back to the page" };

export const payoutReasons = [payoutsFailureReasons, paymentProviderFailureReasons];
export const splitPolicyReasons = [splitsFailureReasons];

export const payoutBatchSchema = z.object({
  id: z.string(),
  currency: z.string(),
  status: z.enum(["draft", "approved", "executing", "completed", "partly_failed", "failed", "voided"]),
  periodStart: isoDateTime.nullable(),
  periodEnd: isoDateTime.nullable(),
  cutoffPostingId: minorUnitsString.meta({ description: "The last ledger posting the batch pays from" }),
  totalMinor: minorUnitsString,
  itemCount: z.number().int(),
  createdById: z.string(),
  createdAt: isoDateTime,
  approvedAt: isoDateTime.nullable(),
  executedAt: isoDateTime.nullable(),
  retriedAt: isoDateTime.nullable(),
  completedAt: isoDateTime.nullable(),
});

export const splitPolicySchema = z.object({
  id: z.string(),
  productKind: z.string(),
  currency: z.string(),
  version: z.number().int(),
  status: z.enum(["draft", "active", "superseded"]),
  theaterBps: z.number().int(),
  developersFundBps: z.number().int(),
  hostsBps: z.number().int(),
  orgBps: z.number().int(),
  orgFixedMinor: z.number().int(),
  developersFundFixedMinor: z.number().int(),
  hostRule: z.enum(["equal", "usage"]),
  note: z.string().nullable(),
  createdById: z.string(),
  createdAt: isoDateTime,
  activatedAt: isoDateTime.nullable(),
  activatedVia: z.string().nullable(),
  proposalId: z.string().nullable(),
  supersededAt: isoDateTime.nullable(),
});

export const payeeConnectRequestSchema = z.object({ country: z.string().max(10).optional() });
export const payeeConnectResponseSchema = z.object({
  payeeAccountId: z.string(),
  onboardingUrl: z.string().nullable().meta({ description: "Where the payee finishes onboarding, if it must" }),
  onboardingStatus: z.string(),
});

export const batchIdParams = z.object({ id: z.string() });
