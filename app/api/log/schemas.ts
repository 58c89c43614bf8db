import { z } from "zod";
import { loggedThingKinds } from "@/lib/transparency/logged-things";
import { LOG_RECEIPT_FORMAT } from "@/lib/transparency/find-log-receipt";
import { transparencyFailureReasons } from "@/lib/transparency/failure-reasons";
import { defineOperation } from "@/lib/http/api-contract";

/** The log's JSON API (docs/LOG.md): request and response schemas. Hashes are base64, as in checkpoints. */
const index = z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const size = z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER);
const base64Hash = z.string().regex(/^[A-Za-z0-9+/]{43}=$/);

export const inclusionRequestSchema = z.object({ index, treeSize: size.optional() });
export const inclusionResponseSchema = z.object({
  index: z.number(),
  treeSize: z.number(),
  entry: z.string(),
  leafHash: base64Hash,
  proof: z.array(base64Hash),
  checkpoint: z.string(),
});

export const consistencyRequestSchema = z.object({ from: size, to: size.optional() });
export const consistencyResponseSchema = z.object({
  oldSize: z.number(),
  newSize: z.number(),
  proof: z.array(base64Hash),
  checkpoint: z.string(),
});

export const entriesRequestSchema = z.object({
  subjectType: z.string().trim().min(1).max(100).optional(),
  subjectId: z.string().trim().min(1).max(100).optional(),
  action: z.string().trim().min(1).max(100).optional(),
  before: index.optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});
export const entriesResponseSchema = z.object({
  treeSize: z.number(),
  entries: z.array(z.object({ index: z.number(), entry: z.string() })),
  nextBefore: z.number().nullable(),
});

export const receiptRequestSchema = z.object({
  kind: z.enum(loggedThingKinds),
  id: z.string().trim().min(1).max(100),
});
const receiptBase = {
  format: z.literal(LOG_RECEIPT_FORMAT),
  thing: z.object({ kind: z.enum(loggedThingKinds), id: z.string(), label: z.string() }),
  index: z.number(),
  event: z.string(),
  action: z.string(),
  at: z.string(),
};
export const receiptResponseSchema = z.discriminatedUnion("status", [
  z.object({ ...receiptBase, status: z.literal("awaiting_integration") }),
  z.object({
    ...receiptBase,
    status: z.literal("integrated"),
    treeSize: z.number(),
    entry: z.string(),
    leafHash: base64Hash,
    proof: z.array(base64Hash),
    checkpoint: z.string(),
    checkpointAt: z.string(),
    witnesses: z.array(z.object({ name: z.string(), time: z.number() })),
  }),
]);

const logReasons = [transparencyFailureReasons];

export const logProofOperation = defineOperation({
  method: "GET",
  path: "/api/log/proof",
  operationId: "getLogInclusionProof",
  summary: "An entry with its RFC 9162 inclusion proof against a signed checkpoint",
  auth: "public",
  request: { query: inclusionRequestSchema },
  responses: { 200: { description: "The entry and its proof", schema: inclusionResponseSchema } },
  errors: { 404: "No signed checkpoint of that size, or the entry is not in it" },
  reasons: logReasons,
});

export const logConsistencyOperation = defineOperation({
  method: "GET",
  path: "/api/log/consistency",
  operationId: "getLogConsistencyProof",
  summary: "The RFC 9162 consistency proof between two tree sizes",
  auth: "public",
  request: { query: consistencyRequestSchema },
  responses: { 200: { description: "The proof", schema: consistencyResponseSchema } },
  errors: { 404: "No signed checkpoint of that size" },
  reasons: logReasons,
});

export const logEntriesOperation = defineOperation({
  method: "GET",
  path: "/api/log/entries",
  operationId: "listLogEntries",
  summary: "Integrated entries, newest first, by subject or type",
  auth: "public",
  request: { query: entriesRequestSchema },
  responses: { 200: { description: "A page of entries", schema: entriesResponseSchema } },
  reasons: logReasons,
});

export const logReceiptOperation = defineOperation({
  method: "GET",
  path: "/api/log/receipt",
  operationId: "getLogReceipt",
  summary: "The log entry of a handed-out thing, with its inclusion proof once integrated",
  auth: "public",
  request: { query: receiptRequestSchema },
  responses: { 200: { description: "The receipt", schema: receiptResponseSchema } },
  errors: { 404: "The log records no such thing (NOT_LOGGED)" },
  reasons: logReasons,
});
