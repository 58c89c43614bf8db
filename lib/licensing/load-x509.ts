import type * as X509 from "@peculiar/x509";

let loaded: Promise<typeof X509> | undefined;

/**
 * @peculiar/x509 (set up by ./x509.ts), loaded at its first use. The portal's server modules take it from
 * here rather than importing ./x509.ts: the library with its ASN.1 schemas and tsyringe costs about half a
 * second of CPU to load, and the composition root reaches it (the renewal effect, CRL publication, the CA
 * lookups), so every process that never touches a certificate paid for it: each CLI command, each
 * integration test file. The standalone tools (the offline verifier, the theater client, the example host)
 * always use it and import ./x509.ts directly. Type imports from "@peculiar/x509" are erased, so they are fine.
 */
export function loadX509(): Promise<typeof X509> {
  loaded ??= import("@/lib/licensing/x509").then((m) => m.x509);
  return loaded;
}
