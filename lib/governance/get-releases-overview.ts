import "server-only";
import { db } from "@/lib/db/client";
import { listReleaseLines } from "@/lib/governance/list-release-lines";
import { getReleaseManifest } from "@/lib/governance/publish-release-manifest";

/** The release lines, their approved releases, which host runs what, and the current signed manifest. */
export async function getReleasesOverview() {
  const [lines, declarations, manifest, hosts] = await Promise.all([
    listReleaseLines(),
    db().hostReleaseDeclaration.findMany({ orderBy: { declaredAt: "desc" } }),
    getReleaseManifest(),
    db().organization.findMany({ where: { kind: "HOST" }, select: { id: true, name: true, status: true } }),
  ]);
  return {
    lines,
    declarations,
    manifest: { seq: manifest.seq, digest: manifest.digest, createdAt: manifest.createdAt },
    hosts,
  };
}
