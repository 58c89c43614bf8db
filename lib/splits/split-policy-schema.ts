import "server-only";
import { z } from "zod";
import { currencySchema } from "@/lib/money/currency";

export const productKinds = ["LICENSE_SALE", "TICKET_SALE"] as const;
export type ProductKind = (typeof productKinds)[number];

/**
 * What a split policy divides: the products sold, and funding of a release line or host (LINE_FUNDING),
 * which is no checkout's product and gives theaters nothing.
 */
export const splitPolicyKinds = [...productKinds, "LINE_FUNDING"] as const;
export type SplitPolicyKind = (typeof splitPolicyKinds)[number];

const bps = z.number().int().min(0).max(10_000);

export const splitPolicyInputSchema = z
  .object({
    productKind: z.enum(splitPolicyKinds),
    currency: currencySchema,
    theaterBps: bps,
    developersFundBps: bps,
    hostsBps: bps,
    orgBps: bps,
    orgFixedMinor: z.number().int().min(0).max(1_000_000).default(0),
    developersFundFixedMinor: z.number().int().min(0).max(1_000_000).default(0),
    hostRule: z.enum(["equal", "usage"]),
    note: z.string().trim().max(500).optional(),
  })
  .refine((p) => p.theaterBps + p.developersFundBps + p.hostsBps + p.orgBps === 10_000, {
    message: "the basis points must sum to 10000",
    path: ["theaterBps"],
  })
  .refine((p) => p.productKind !== "LINE_FUNDING" || p.theaterBps === 0, {
    message: "funding goes to hosts, the developers' fund and the org: a theater's share must be 0",
    path: ["theaterBps"],
  });

export type SplitPolicyInput = z.input<typeof splitPolicyInputSchema>;
