import fs from "node:fs";
import { parseArgs } from "node:util";
import { importJWK, type JWK } from "jose";
import { startFederatedHost } from "./create-federated-host";
import { pinFromDnsZone, type AnchorPin } from "./trust-anchor";

/*
 * npx tsx examples/federated-host/main.ts --entity-id http://127.0.0.1:7001 --key key.jwk.json \
 *   (--dns-zone zone.txt | --anchor https://guildhall.example.org --anchor-jkt <thumbprint>) [--refresh-ms 30000]
 * key.jwk.json: the host's private ES256 JWK (with kid), whose public half its admission declared.
 */
const { values } = parseArgs({
  options: {
    "entity-id": { type: "string" },
    key: { type: "string" },
    "dns-zone": { type: "string" },
    anchor: { type: "string" },
    "anchor-jkt": { type: "string" },
    "refresh-ms": { type: "string" },
  },
});
const entityId = values["entity-id"];
if (!entityId || !values.key || (!values["dns-zone"] && !(values.anchor && values["anchor-jkt"]))) {
  console.error("usage: main.ts --entity-id URL --key FILE (--dns-zone FILE | --anchor URL --anchor-jkt JKT)");
  process.exit(2);
}
const pin: AnchorPin = values["dns-zone"]
  ? pinFromDnsZone(fs.readFileSync(values["dns-zone"], "utf8"))
  : { anchor: values.anchor as string, jkts: [values["anchor-jkt"] as string] };
const privateJwk = JSON.parse(fs.readFileSync(values.key, "utf8")) as JWK;
const { d: _private, ...publicJwk } = privateJwk;
const host = await startFederatedHost({
  pin,
  entityId,
  port: Number(new URL(entityId).port),
  key: (await importJWK(privateJwk, "ES256")) as CryptoKey,
  publicJwk: { ...publicJwk, alg: "ES256", use: "sig" },
  refreshMs: Number(values["refresh-ms"] ?? 30_000),
  log: (line) => console.log(JSON.stringify({ host: entityId, ...line })),
  onRemoved: () => process.exit(0),
});
process.on("SIGTERM", () => void host.close().then(() => process.exit(0)));
