import "server-only";
import { z } from "zod";
import { currencySchema } from "@/lib/money/currency";

export const productKinds = ["LICENSE_SALE", "TICKET_SALE"] as const;
export type ProductKind = (typeof productKinds)[number];

const bps = z.number().int().min(0).max(10_000);

export const splitPolicyInputSchema = z
  .object({
    productKind: z.enum(productKinds),
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
  });

export type SplitPolicyInput = z.input<typeof splitPolicyInputSchema>;
