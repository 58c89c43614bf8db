import { cliIo } from "../io";
import path from "node:path";
import type { JSONWebKeySet } from "jose";
import type { CliCommand } from "../command";
import { CliError, flag, output } from "../command";
import { inputFileBytes, readInputFile, readInputText } from "../read-input-file";
import { env } from "@/lib/config/env";
import { getPublicJwks } from "@/lib/keys/get-public-jwks";
import { initCertificateAuthority } from "@/lib/licensing/init-certificate-authority";
import { rotateIssuingCa } from "@/lib/licensing/rotate-issuing-ca";
import { refreshAllCrls } from "@/lib/licensing/get-current-crl";
import { getIntermediateTrust, getRootCaPem } from "@/lib/licensing/get-certificate-trust";
import { createLicenseDocumentVerifier } from "@/lib/licensing/verify-license-document";
import { verifyLicenseCertificate } from "@/lib/licensing/verify-license-certificate";
import { sendLicenseReminders } from "@/lib/licensing/send-license-reminders";
import { createLicensePlan } from "@/lib/licensing/create-license-plan";
import { drainOutbox } from "@/lib/outbox/kick-outbox";

import { cliActor } from "@/lib/access/actor";

export const caInit: CliCommand = {
  name: "ca init",
  summary: "make the org root CA (key written to a file, for offline keeping) and the issuing intermediate",
  usage: "ca init [--root-key-out FILE] [--json]",
  async run(args) {
    const rootKeyPath = path.resolve(
      /*turbopackIgnore: true*/ flag(args, "root-key-out") ??
        path.join(env().dataDir, "ca", `root-key-${new Date().toISOString().slice(0, 10)}.pem`),
    );
    const made = await initCertificateAuthority({ rootKeyPath, actor: cliActor });
    output(args, made, () => [
      `root CA ${made.rootId} and issuing CA ${made.intermediateId} created.`,
      `The root private key is in ${made.rootKeyPath} (mode 0600). It is NOT in the database:`,
      `move it to offline storage now; it is needed again only for \`ca rotate-intermediate\`.`,
      ...(made.crossSignedPredecessorIds.length > 0
        ? [
            `Cross-signed the origin's issuing CA(s) ${made.crossSignedPredecessorIds.join(", ")}: this Guildhall now signs`,
            "their CRLs; hosts that trust only this root add /.well-known/guildhall/ca/cross-signed.pem.",
          ]
        : []),
      "",
      made.rootCertificatePem.trim(),
    ]);
  },
};

export const caRotateIntermediate: CliCommand = {
  name: "ca rotate-intermediate",
  summary: "sign a new issuing intermediate with the offline root key and retire the current one",
  usage: "ca rotate-intermediate --root-key FILE [--json]",
  async run(args) {
    const made = await rotateIssuingCa({ rootKeyPath: flag(args, "root-key", true), actor: cliActor });
    output(args, { id: made.id, subject: made.subject }, () => [
      `issuing CA ${made.id} (${made.subject}) now signs; put the root key back offline.`,
    ]);
  },
};

export const caCrlRefresh: CliCommand = {
  name: "ca crl refresh",
  summary: "re-sign the CRL of every issuing CA now (the portal also does it when half their life has passed)",
  usage: "ca crl refresh [--json]",
  async run(args) {
    const made = await refreshAllCrls();
    output(
      args,
      made.map(({ der: _der, ...rest }) => rest),
      () => made.map((c) => `${c.caId}: CRL #${c.crlNumber}, next update ${c.nextUpdate.toISOString()}`),
    );
  },
};

export const licensesRemind: CliCommand = {
  name: "licenses remind",
  summary: "mail theater admins whose license ends within 30, 7 or 1 days now (the portal does it every hour)",
  usage: "licenses remind [--json]",
  async run(args) {
    const result = await sendLicenseReminders();
    await drainOutbox();
    output(args, result, () => [`${result.sent} reminder(s) sent, ${result.checked} license(s) ending within 30 days`]);
  },
};

export const plansCreate: CliCommand = {
  name: "licenses plans create",
  summary: "offer a license plan (what org admins do on /admin/licensing)",
  usage:
    "licenses plans create --name NAME --term-days N --price-minor N --currency EUR [--entitlements venues=2,seats=800]",
  async run(args) {
    const entitlements = Object.fromEntries(
      (flag(args, "entitlements") ?? "")
        .split(",")
        .filter(Boolean)
        .map((pair) => {
          const [k, v] = pair.split("=");
          return [k, Number(v)];
        }),
    );
    const plan = await createLicensePlan({
      name: flag(args, "name", true),
      termDays: Number(flag(args, "term-days", true)),
      priceMinor: Number(flag(args, "price-minor", true)),
      currency: flag(args, "currency", true),
      entitlements,
      actor: cliActor,
    });
    output(args, plan, () => [`plan ${plan.id} "${plan.name}" created`]);
  },
};

async function readJwks(source: string | undefined): Promise<JSONWebKeySet> {
  if (!source) return getPublicJwks(["license"]);
  const text = readInputText(source, "JWKS");
  let jwks: unknown;
  try {
    jwks = JSON.parse(text);
  } catch {
    throw new CliError(`${source}: not a JWKS JSON file`);
  }
  // The verifier iterates keys: any other shape is the file's fault, said as such (not a TypeError from inside).
  const keys = (jwks as { keys?: unknown } | null)?.keys;
  if (!Array.isArray(keys) || !keys.every((k) => typeof k === "object" && k !== null && !Array.isArray(k)))
    throw new CliError(`${source}: not a JWKS ({ "keys": [ {...}, ... ] })`);
  return jwks as JSONWebKeySet;
}

async function trustFromDatabaseOr(args: Parameters<CliCommand["run"]>[0], certPem: string) {
  const rootFile = flag(args, "root");
  const rootPem = rootFile ? readInputText(rootFile, "root CA certificate (PEM)") : await getRootCaPem();
  if (!rootPem) throw new CliError("no root CA: pass --root ROOT.pem or run `ca init`");
  const crlFile = flag(args, "crl");
  const chainFile = flag(args, "chain");
  if (crlFile)
    return {
      rootPem,
      crls: [new Uint8Array(readInputFile(crlFile, "CRL (DER)", inputFileBytes.bulk))],
      intermediatesPem: chainFile ? readInputText(chainFile, "certificate chain (PEM)") : undefined,
    };
  return { rootPem, ...(await getIntermediateTrust(certPem)) };
}

export const licensesVerify: CliCommand = {
  name: "licenses verify",
  summary:
    "verify a license document offline (and with --cert its certificate against the CA and CRL); exits 1 with the failure code",
  usage:
    "licenses verify FILE [--cert CERT.pem] [--jwks JWKS.json] [--root ROOT.pem] [--crl CRL.der] [--chain CHAIN.pem] [--json]",
  async run(args) {
    const file = args.positionals[0];
    if (!file) throw new CliError("usage: licenses verify FILE [--cert CERT.pem]");
    const jws = readInputText(file, "license document").trim();
    const certFile = flag(args, "cert");
    let certVerdict = null;
    if (certFile) {
      const certPem = readInputText(certFile, "license certificate (PEM)");
      certVerdict = await verifyLicenseCertificate(certPem, await trustFromDatabaseOr(args, certPem));
    }
    const docVerdict = await createLicenseDocumentVerifier(await readJwks(flag(args, "jwks")))(jws, {
      certificate: certVerdict?.valid ? certVerdict.value : undefined,
      revocation: certVerdict?.valid ? certVerdict.value.revocation : undefined,
    });
    const failed = certVerdict && !certVerdict.valid ? certVerdict : docVerdict;
    const verdict = {
      valid: failed.valid,
      code: failed.code,
      detail: failed.detail,
      document: { code: docVerdict.code, detail: docVerdict.detail },
      certificate: certVerdict ? { code: certVerdict.code, detail: certVerdict.detail } : null,
    };
    output(args, verdict, () => [verdict.valid ? `VALID: ${docVerdict.detail}` : `${verdict.code}: ${verdict.detail}`]);
    if (!verdict.valid) cliIo().exitCode = 1;
  },
};

export const licensingCommands: CliCommand[] = [
  caInit,
  caRotateIntermediate,
  caCrlRefresh,
  licensesRemind,
  plansCreate,
  licensesVerify,
];
