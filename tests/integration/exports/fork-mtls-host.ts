import { expect } from "vitest";
import { x509 } from "@/lib/licensing/x509";
import { getPublishedCaFile } from "@/lib/licensing/get-published-ca-file";
import { revokeLicense } from "@/lib/licensing/revoke-license";
import { licensedClient, startMtlsHost, type TheaterClient } from "@/tests/integration/licensing/mtls-host-harness";

/** At the origin, before its export: a theater's certificate with its key, and another whose license is revoked. */
export async function originTheaterClients(): Promise<{ good: TheaterClient; revoked: TheaterClient }> {
  const good = await licensedClient();
  const revoked = await licensedClient();
  await revokeLicense({
    licenseId: revoked.license.id,
    reason: "Fraudulent purchase.",
    actor: { type: "system", id: "test" },
  });
  return { good, revoked };
}

/**
 * At the fork, after `ca init`: the example mTLS host configured with the fork's trust material only (its
 * root.pem, cross-signed.pem, license keys and CRLs; not the origin's root) accepts the origin's certificate
 * and refuses the revoked one, a day and more after the origin's last CRL ended (the fork signs them now).
 */
export async function expectForkMtlsHostTrustsOrigin(clients: { good: TheaterClient; revoked: TheaterClient }) {
  const rootPem = (await getPublishedCaFile("root.pem"))?.body.toString() ?? "";
  const intermediatesPem = (await getPublishedCaFile("cross-signed.pem"))?.body.toString() ?? "";
  expect(intermediatesPem).toContain("BEGIN CERTIFICATE");
  const originIssuer = new x509.X509Certificate(clients.good.certPem).issuer;
  expect(rootPem.split("BEGIN CERTIFICATE")).toHaveLength(2);
  const later = new Date(Date.now() + 30 * 3_600_000);
  const host = await startMtlsHost({ rootPem, intermediatesPem, now: () => later }, (crl) => {
    // The fork's own CRL for its origin's intermediate, current at `later`, not the origin's last one.
    expect(crl.issuer).toBe(originIssuer);
    expect(crl.nextUpdate && crl.nextUpdate > later).toBe(true);
  });
  try {
    expect(await host.call(clients.good)).toMatchObject({ status: 200, body: { code: "VALID" } });
    expect(await host.call(clients.revoked)).toMatchObject({ status: 403, body: { code: "REVOKED" } });
  } finally {
    await host.close();
  }
}
