import { defineOperation } from "@/lib/http/api-contract";
import { accountExportSchema } from "@/lib/portability/account-export-schema";
import { portabilityFailureReasons } from "@/lib/portability/failure-reasons";

export const accountExportOperation = defineOperation({
  method: "GET",
  path: "/api/account/export",
  operationId: "exportAccount",
  summary: "Everything Guildhall holds about the signed-in person, as one JSON file",
  description: "An attachment; its schema is also published at /schemas/account-export-v1.json (docs/EXPORTS.md).",
  auth: "session",
  responses: { 200: { description: "The export", schema: accountExportSchema } },
  reasons: [portabilityFailureReasons],
});
