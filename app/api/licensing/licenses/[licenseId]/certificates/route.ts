import { apiRoute } from "@/lib/http/api-route";
import { consumeRateLimit } from "@/lib/rate-limit/consume-rate-limit";
import { requireTheaterActor } from "@/lib/licensing/require-theater-actor";
import { issueLicenseCertificate } from "@/lib/licensing/issue-license-certificate";
import { getLicenseBundle } from "@/lib/licensing/get-license-bundle";
import { limits } from "@/lib/config/limits";
import { findLogReceiptIfAny } from "@/lib/transparency/find-log-receipt";
import { answer, parseBody } from "@/lib/http/api-contract";
import { certificateBundleSchema, licenseIdParams } from "@/app/api/licensing/licensing-schemas";
import {
  issueCertificateRequestSchema,
  latestCertificateResponseSchema,
} from "@/app/api/licensing/licenses/[licenseId]/certificates/schemas";

const csrRate = limits.rate.certificateRequestsPerLicense;

/**
 * Certifies a key for the license from a PKCS#10 request (PEM). Answers the
 * certificate, the chain, the license document and the issuance's log receipt
 * (awaiting integration at first: GET answers it with its proof a moment later);
 * refusals are 4xx with a reason (see issueLicenseCertificate).
 */
export const POST = apiRoute(
  async (req, { params }) => {
    const actor = await requireTheaterActor(req);
    const { csr } = await parseBody(issueCertificateRequestSchema, req);
    await consumeRateLimit(csrRate, `${params.licenseId}:${actor.id}`);
    const { certificate, chainPem } = await issueLicenseCertificate({
      licenseId: params.licenseId,
      csrPem: csr,
      actor,
    });
    return answer(
      certificateBundleSchema,
      {
        certificateId: certificate.id,
        serialHex: certificate.serialHex,
        notAfter: certificate.notAfter,
        certificatePem: certificate.certificatePem,
        chainPem,
        licenseDocument: certificate.licenseDocument,
        log: await findLogReceiptIfAny({ kind: "certificate", id: certificate.id }),
      },
      { status: 201, headers: { "cache-control": "no-store" } },
    );
  },
  { params: licenseIdParams },
);

/** The newest certificate of the license, with its chain and license document. */
export const GET = apiRoute(
  async (req, { params }) => {
    const actor = await requireTheaterActor(req);
    return answer(latestCertificateResponseSchema, await getLicenseBundle({ licenseId: params.licenseId, actor }), {
      headers: { "cache-control": "no-store" },
    });
  },
  { params: licenseIdParams },
);
