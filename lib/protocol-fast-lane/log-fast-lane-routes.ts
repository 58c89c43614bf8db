import "server-only";
import type { FastLaneRoutes } from "@/lib/protocol-fast-lane/install-protocol-fast-lane";
import { checkpointGET, keyGET, TILE_PREFIX, tileGET } from "@/lib/transparency/http/log-file-endpoints";

/**
 * The transparency log's files, for the protocol fast lane beside the OIDC and
 * federation routes (instrumentation-node.ts): the checkpoint, which every
 * monitor, mirror and witness polls, the tiles and entry bundles a
 * verifier reads by the thousand, and the log's key, which they fetch beside
 * them: every public file of the log answers alike, the same on any path
 * (docs/LOG.md, "Reading the log").
 */
export const logFastLaneRoutes: FastLaneRoutes = new Map([
  ["/log/checkpoint", { GET: checkpointGET }],
  ["/log/key", { GET: keyGET }],
  [TILE_PREFIX, { GET: tileGET }],
]);
