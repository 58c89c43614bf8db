import { z } from "zod";
import { defineOperation } from "@/lib/http/api-contract";
import { MAX_CSR_PEM_CHARS } from "@/lib/licensing/parse-certificate-request";
import { certificateBundleSchema, licenseIdParams, licensingReasons } from "@/app/api/licensing/licensing-schemas";

export const issueCertificateRequestSchema = z.object({
  csr: z.string().min(1).max(MAX_CSR_PEM_CHARS).meta({ description: "A PKCS#10 certificate request (PEM)" }),
});
export const latestCertificateResponseSchema = certificateBundleSchema.extend({
  status: z.enum(["GOOD", "HELD", "REVOKED"]),
});

export const issueCertificateOperation = defineOperation({
  method: "POST",
  path: "/api/licensing/licenses/{licenseId}/certificates",
  operationId: "issueLicenseCertificate",
  summary: "Certify a key for the license from a PKCS#10 request",
  description:
    "Answers the certificate, the chain, the license document and the issuance's log receipt (awaiting integration at first: GET answers it with its proof a moment later).",
  auth: "session-or-theater-token",
  access: "an admin of the license's theater",
  request: { params: licenseIdParams, body: issueCertificateRequestSchema },
  responses: { 201: { description: "The certificate bundle", schema: certificateBundleSchema } },
  errors: {
    404: "No such license",
    409: "The license is not active",
    422: "The request does not verify or its key is refused",
    429: "Too many certificate requests for this license",
  },
  reasons: licensingReasons,
});

export const latestCertificateOperation = defineOperation({
  method: "GET",
  path: "/api/licensing/licenses/{licenseId}/certificates",
  operationId: "getLicenseCertificate",
  summary: "The newest certificate of the license, with its chain and license document",
  auth: "session-or-theater-token",
  access: "an admin of the license's theater",
  request: { params: licenseIdParams },
  responses: { 200: { description: "The certificate bundle", schema: latestCertificateResponseSchema } },
  errors: { 404: "No such license, or no certificate yet (NO_CERTIFICATE)" },
  reasons: licensingReasons,
});
