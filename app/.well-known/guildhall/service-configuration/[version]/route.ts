import { z } from "zod";
import { apiRoute } from "@/lib/http/api-route";
import { getServiceConfigurationVersionOrThrow } from "@/lib/governance/federation/publish-service-configuration";
import { serviceConfigurationResponse } from "../service-configuration-response";

const versionSchema = z.coerce.number().int().min(1).max(2_147_483_647);

/** Every past version stays fetchable by number; a version never changes, so it may be cached for long. */
export const GET = apiRoute<{ version: string }>(
  async (_req, { params }) => {
    const version = versionSchema.parse(params.version);
    return serviceConfigurationResponse(
      await getServiceConfigurationVersionOrThrow(version),
      "public, max-age=86400, immutable",
    );
  },
  { crossOrigin: true },
);
