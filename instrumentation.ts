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
  try {
    await startPortal();
  } catch (e) {
    console.error(`Guildhall cannot start: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  }
}
