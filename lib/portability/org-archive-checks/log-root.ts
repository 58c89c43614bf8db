import "server-only";
import { appendToEdge, edgeRoot, type TileEdge } from "@/lib/merkle/tile-edge";
import { leafHash } from "@/lib/merkle/tree-hash";
import type { OrgArchiveManifest } from "@/lib/portability/org-archive-format";
import type { RecordCheck } from "@/lib/portability/org-archive-checks/record-check";

/** The log entries hash to the checkpoint's root at its size. */
export function logRootCheck(log: OrgArchiveManifest["log"]): RecordCheck {
  let edge: TileEdge = { size: 0, levels: [] };
  let pending: Buffer[] = [];
  let count = 0;
  const flush = () => {
    edge = appendToEdge(edge, pending).edge;
    pending = [];
  };
  return {
    record: (row) => {
      if (String(row.index) !== String(count)) return `log entry ${String(row.index)}: expected entry ${count}`;
      count += 1;
      pending.push(leafHash(Buffer.from(String(row.body))));
      if (pending.length >= 4096) flush();
      return null;
    },
    end: () => {
      flush();
      if (edge.size !== log.size) return `it holds ${edge.size} entries; the checkpoint covers ${log.size}`;
      if (edgeRoot(edge).toString("hex") !== log.rootHash)
        return "the entries do not hash to the root of the origin's signed checkpoint";
      return null;
    },
  };
}
