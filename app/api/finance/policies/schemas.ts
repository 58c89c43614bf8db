import { z } from "zod";
import { defineOperation } from "@/lib/http/api-contract";
import { splitPolicyInputSchema } from "@/lib/splits/split-policy-schema";
import { formOrJson, seeOtherResponse, splitPolicyReasons, splitPolicySchema } from "@/app/api/finance/finance-schemas";

const numericFields = [
  "theaterBps",
  "developersFundBps",
  "hostsBps",
  "orgBps",
  "orgFixedMinor",
  "developersFundFixedMinor",
];

/** A form's fields are text: its numbers become numbers and an empty note none, then the domain's schema reads it. */
export const createSplitPolicyRequestSchema = z.preprocess((body) => {
  if (!body || typeof body !== "object" || Array.isArray(body)) return body;
  const fields: Record<string, unknown> = { ...body };
  for (const k of numericFields) if (typeof fields[k] === "string" && fields[k] !== "") fields[k] = Number(fields[k]);
  if (fields.note === "") delete fields.note;
  return fields;
}, splitPolicyInputSchema);

export const createSplitPolicyOperation = defineOperation({
  method: "POST",
  path: "/api/finance/policies",
  operationId: "createSplitPolicy",
  summary: "Draft the next version of a product kind's split in one currency",
  auth: "session",
  access: "FINANCE",
  request: { body: splitPolicyInputSchema, bodyTypes: formOrJson },
  responses: { 201: { description: "The draft", schema: splitPolicySchema }, 303: seeOtherResponse },
  reasons: splitPolicyReasons,
});
