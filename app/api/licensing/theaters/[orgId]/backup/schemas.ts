import { z } from "zod";
import { defineOperation } from "@/lib/http/api-contract";
import { theaterBackupFileSchema } from "@/lib/portability/theater-backup-schema";
import { portabilityFailureReasons } from "@/lib/portability/failure-reasons";
import { licensingFailureReasons } from "@/lib/licensing/failure-reasons";

/** The path parameters, parsed by the route (apiRoute's `params`) and published in the OpenAPI document. */
export const pathParams = z.object({ orgId: z.string() });

export const theaterBackupOperation = defineOperation({
  method: "GET",
  path: "/api/licensing/theaters/{orgId}/backup",
  operationId: "downloadTheaterBackup",
  summary: "The theater's signed backup (docs/EXPORTS.md)",
  description: "An attachment; its schema is also published at /schemas/theater-backup-v2.json.",
  auth: "session-or-theater-token",
  access: "an admin of the theater",
  request: { params: pathParams },
  responses: { 200: { description: "The backup file", schema: theaterBackupFileSchema } },
  errors: { 404: "No such theater" },
  reasons: [portabilityFailureReasons, licensingFailureReasons],
});
