import { apiRoute } from "@/lib/http/api-route";
import { AppError } from "@/lib/errors/app-error";
import { getPublishedCaFile } from "@/lib/licensing/get-published-ca-file";

/**
 * The org CA's public files, named in every certificate:
 *   root.pem        the root certificate (pin it out of band),
 *   <caId>.cer      an issuing certificate, DER (authority information access),
 *   <caId>.crl      its current CRL, DER (CRL distribution point).
 */
export const GET = apiRoute<{ file: string }>(
  async (_req, { params }) => {
    const file = await getPublishedCaFile(params.file);
    if (!file) throw new AppError("NOT_FOUND", { reason: "CA_FILE_NOT_FOUND", userMessage: "No such CA file." });
    return new Response(new Uint8Array(file.body), {
      headers: {
        "content-type": file.contentType,
        "cache-control": `public, max-age=${file.maxAgeSeconds}`,
        "access-control-allow-origin": "*",
      },
    });
  },
  { crossOrigin: true },
);
