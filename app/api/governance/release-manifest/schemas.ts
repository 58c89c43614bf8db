import { z } from "zod";
import { defineOperation } from "@/lib/http/api-contract";

export const releaseManifestOperation = defineOperation({
  method: "GET",
  path: "/api/governance/release-manifest",
  operationId: "getReleaseManifest",
  summary: "The signed release manifest",
  description:
    "A compact JWS (EdDSA, key in /api/governance/jwks) listing approved releases per release line and the release each host declares it runs. Its ETag is the manifest's digest; X-Manifest-Seq its sequence number.",
  auth: "public",
  responses: { 200: { description: "The manifest", contentType: "application/jose", schema: z.string() } },
  reasons: [],
});
