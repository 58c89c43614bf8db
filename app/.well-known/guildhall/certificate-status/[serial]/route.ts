import { apiRoute } from "@/lib/http/api-route";
import { getCertificateStatus } from "@/lib/licensing/get-certificate-status";

/** The JSON status of a certificate by serial (hex): good, held, revoked or unknown. */
export const GET = apiRoute<{ serial: string }>(
  async (_req, { params }) =>
    Response.json(await getCertificateStatus(params.serial), {
      headers: { "cache-control": "no-store", "access-control-allow-origin": "*" },
    }),
  { crossOrigin: true },
);
