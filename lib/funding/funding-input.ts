import { z } from "zod";
import { currencySchema } from "@/lib/money/currency";
import { actReasonSchema } from "@/lib/audit/act-reason";

/** Text a person typed that may be shown publicly: no control characters, trimmed, short. */
const plainText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point
    .refine((s) => !/[\u0000-\u001f\u007f]/.test(s), "control characters are not allowed");

/** What a funder chooses: what to fund, how much, how often, and whether to be named on the line's page. */
export const startFundingSchema = z
  .object({
    releaseLineId: z.string().trim().min(1).max(100).optional(),
    hostSlug: z.string().trim().min(1).max(100).optional(),
    amount: z.string().trim().min(1).max(20),
    currency: currencySchema,
    interval: z.enum(["once", "month"]),
    /** Empty or absent: anonymous on the public page. */
    publicName: plainText(80).optional(),
    /** The form's own key, so a double submit opens one checkout. */
    requestKey: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9_-]{8,100}$/),
  })
  .refine((i) => Boolean(i.releaseLineId) !== Boolean(i.hostSlug), {
    message: "fund either a release line or a host",
    path: ["releaseLineId"],
  });

export type StartFundingInput = z.input<typeof startFundingSchema>;

const fundingIdSchema = z
  .string()
  .trim()
  .regex(/^fnd_[a-f0-9]{32}$/);

/** The funder's cancellation, confirmed with a reason (app/confirm-with-reason.tsx). */
export const cancelFundingSchema = z.object({ fundingId: fundingIdSchema, reason: actReasonSchema });

/** How the funder is shown on the line's page: empty or absent is anonymous. */
export const fundingPublicNameSchema = z.object({ fundingId: fundingIdSchema, publicName: plainText(80).optional() });

export const hostLineCostSchema = z.object({
  hostSlug: z.string().trim().min(1).max(100),
  releaseLineId: z.string().trim().min(1).max(100),
  monthlyCost: z.string().trim().min(1).max(20),
  currency: currencySchema,
});
