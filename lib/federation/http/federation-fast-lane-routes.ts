import "server-only";
import type { FastLaneRoutes } from "@/lib/protocol-fast-lane/install-protocol-fast-lane";
import * as entityConfiguration from "@/lib/federation/http/entity-configuration-endpoint";
import * as trustMarkStatus from "@/lib/federation/http/trust-mark-status-endpoint";
import { federationPaths } from "@/lib/federation/federation-constants";

/**
 * The federation's hot requests, for the protocol fast lane beside the OIDC
 * ones (instrumentation.ts): the anchor's Entity Configuration, fetched by
 * every party that resolves a chain, and the trust mark status, asked by
 * hosts before they accept a theater.
 */
export const federationFastLaneRoutes: FastLaneRoutes = new Map([
  ["/.well-known/openid-federation", { GET: entityConfiguration.GET, OPTIONS: entityConfiguration.OPTIONS }],
  [federationPaths.trustMarkStatus, { POST: trustMarkStatus.POST, OPTIONS: trustMarkStatus.OPTIONS }],
]);
