/**
 * Next.js calls register() once when a server process starts, before it
 * serves. A failure here (a missing secret, a database that cannot migrate)
 * stops the start with its message instead of failing requests later.
 */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { installPeerAddressHeader } = await import("@/lib/http/peer-address");
  installPeerAddressHeader();
  const { startPortal } = await import("@/lib/start-portal");
  const { portalComposition } = await import("@/lib/composition/portal-composition");
  try {
    await startPortal(portalComposition);
  } catch (e) {
    console.error(`Guildhall cannot start: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  }
  // The production server answers the hot OIDC requests before Next's router
  // (docs/oidc.md, "Protocol fast lane"); `next dev` keeps every request in Next.
  const { env } = await import("@/lib/config/env");
  if (env().nodeEnv === "production" && env().oidcFastLane) {
    const { installProtocolFastLane } = await import("@/lib/protocol-fast-lane/install-protocol-fast-lane");
    installProtocolFastLane(new URL(env().publicUrl).origin);
  }
}
