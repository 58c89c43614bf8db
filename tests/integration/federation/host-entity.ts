import http from "node:http";
import type { AddressInfo } from "node:net";
import { SignJWT, type CryptoKey, type JWK } from "jose";

/**
 * A host's federation entity on loopback: it serves its own Entity
 * Configuration at /.well-known/openid-federation, signed with whichever key
 * the test sets (the admitted one, or another to forge), with the relying
 * party metadata the test sets.
 */
export async function startHostEntity() {
  let body = "";
  const server = http.createServer((req, res) => {
    if (req.url === "/.well-known/openid-federation") {
      res.writeHead(200, { "content-type": "application/entity-statement+jwt" }).end(body);
    } else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const entityId = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    entityId,
    async publish(p: {
      key: CryptoKey;
      kid: string;
      jwks: JWK[];
      anchor: string;
      relyingParty: Record<string, unknown>;
      expSeconds?: number;
    }) {
      const iat = Math.floor(Date.now() / 1000);
      body = await new SignJWT({
        iss: entityId,
        sub: entityId,
        iat,
        exp: iat + (p.expSeconds ?? 3600),
        jwks: { keys: p.jwks },
        authority_hints: [p.anchor],
        metadata: { federation_entity: { organization_name: "A host" }, openid_relying_party: p.relyingParty },
      })
        .setProtectedHeader({ alg: "ES256", kid: p.kid, typ: "entity-statement+jwt" })
        .sign(p.key);
      return body;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
