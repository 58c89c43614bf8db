import { z } from "zod";
import { receiptClaimsSchema } from "@/lib/payments/receipts/receipt-schema";
import { accountExportSchema } from "@/lib/portability/account-export-schema";
import { theaterBackupFileSchema, theaterBackupFileSchemaV1 } from "@/lib/portability/theater-backup-schema";
import { proposalExportSchema } from "@/lib/governance/proposal-export-schema";

/**
 * The published JSON Schemas of what leaves Guildhall as a file, by the name
 * under /schemas/ (a version in every name: a new version is a new name, and
 * old ones stay served). Generated from the zod schemas the code itself
 * parses with, so the document and the code cannot drift apart.
 */
export const publishedSchemas: Record<string, { title: string; schema: z.ZodType }> = {
  "receipt-v1.json": {
    title: "Guildhall purchase receipt, payload version 1 (docs/RECEIPTS.md)",
    schema: receiptClaimsSchema,
  },
  "account-export-v1.json": {
    title: "Everything Guildhall holds about one person, version 1 (docs/EXPORTS.md)",
    schema: accountExportSchema,
  },
  "theater-backup-v1.json": {
    title: "A theater's signed backup, version 1 (docs/EXPORTS.md)",
    schema: theaterBackupFileSchemaV1,
  },
  "theater-backup-v2.json": {
    title: "A theater's signed backup, version 2: with a hash of each record (docs/EXPORTS.md)",
    schema: theaterBackupFileSchema,
  },
  "proposal-export-v1.json": {
    title: "A governance proposal's public export, to re-verify it offline, version 1 (docs/GOVERNANCE.md)",
    schema: proposalExportSchema,
  },
};

export function publishedJsonSchema(name: string): Record<string, unknown> | null {
  const entry = Object.hasOwn(publishedSchemas, name) ? publishedSchemas[name] : undefined;
  if (!entry) return null;
  return {
    $id: `/schemas/${name}`,
    title: entry.title,
    ...z.toJSONSchema(entry.schema, { target: "draft-2020-12", io: "output", unrepresentable: "any" }),
  };
}
