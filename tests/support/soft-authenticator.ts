import crypto from "node:crypto";
import type { AuthenticationResponseJSON, PublicKeyCredentialCreationOptionsJSON, PublicKeyCredentialRequestOptionsJSON, RegistrationResponseJSON } from "@simplewebauthn/server";

/**
 * A software passkey authenticator for integration tests: real ECDSA P-256
 * keys and signatures (node:crypto) and real CBOR, producing exactly the JSON
 * @simplewebauthn/browser hands to the server. It is an authenticator, not a
 * mock of our code: the server verifies its output with @simplewebauthn/server.
 */
type CborValue = number | string | Uint8Array | CborValue[] | Map<number | string, CborValue>;

function cborHead(major: number, n: number): Buffer {
  if (n < 24) return Buffer.from([(major << 5) | n]);
  if (n < 0x100) return Buffer.from([(major << 5) | 24, n]);
  if (n < 0x10000) return Buffer.from([(major << 5) | 25, n >> 8, n & 0xff]);
  const b = Buffer.alloc(5);
  b[0] = (major << 5) | 26;
  b.writeUInt32BE(n, 1);
  return b;
}

/** A tiny CBOR encoder: integers, byte and text strings, arrays and maps, enough for COSE keys and attestation objects. */
export function cbor(value: CborValue): Buffer {
  if (typeof value === "number") return value >= 0 ? cborHead(0, value) : cborHead(1, -1 - value);
  if (typeof value === "string") {
    const bytes = Buffer.from(value, "utf8");
    return Buffer.concat([cborHead(3, bytes.length), bytes]);
  }
  if (value instanceof Uint8Array) return Buffer.concat([cborHead(2, value.length), Buffer.from(value)]);
  if (Array.isArray(value)) return Buffer.concat([cborHead(4, value.length), ...value.map(cbor)]);
  const parts: Buffer[] = [cborHead(5, value.size)];
  for (const [k, v] of value) parts.push(cbor(k), cbor(v));
  return Buffer.concat(parts);
}

const sha256 = (data: Buffer | string) => crypto.createHash("sha256").update(data).digest();
const b64url = (b: Buffer | Uint8Array) => Buffer.from(b).toString("base64url");

const FLAG_UP = 0x01;
const FLAG_UV = 0x04;
const FLAG_AT = 0x40;

export type SoftCredential = { id: Buffer; privateKey: crypto.KeyObject; publicKey: crypto.KeyObject; rpId: string; userHandle: string; signCount: number };

export class SoftAuthenticator {
  readonly credentials: SoftCredential[] = [];
  /** Set false to act like an authenticator that skips user verification. */
  userVerified = true;

  constructor(readonly origin: string) {}

  private coseKey(publicKey: crypto.KeyObject): Buffer {
    const jwk = publicKey.export({ format: "jwk" });
    // COSE_Key: kty EC2 (2), alg ES256 (-7), crv P-256 (1), x, y.
    return cbor(new Map<number, CborValue>([[1, 2], [3, -7], [-1, 1], [-2, Buffer.from(jwk.x!, "base64url")], [-3, Buffer.from(jwk.y!, "base64url")]]));
  }

  private flags(extra = 0): number {
    return FLAG_UP | (this.userVerified ? FLAG_UV : 0) | extra;
  }

  private clientData(type: "webauthn.create" | "webauthn.get", challenge: string, origin = this.origin): Buffer {
    return Buffer.from(JSON.stringify({ type, challenge, origin, crossOrigin: false }));
  }

  /** navigator.credentials.create() with a discoverable credential and "none" attestation. */
  register(options: PublicKeyCredentialCreationOptionsJSON, opts: { origin?: string; reuse?: SoftCredential } = {}): RegistrationResponseJSON {
    const rpId = options.rp.id!;
    // `reuse` presents an existing credential again, like an authenticator that ignores excludeCredentials.
    const { privateKey, publicKey } = opts.reuse ?? crypto.generateKeyPairSync("ec", { namedCurve: "P-256" });
    const id = opts.reuse?.id ?? crypto.randomBytes(16);
    const counter = Buffer.alloc(4);
    const idLength = Buffer.alloc(2);
    idLength.writeUInt16BE(id.length);
    const authData = Buffer.concat([sha256(rpId), Buffer.from([this.flags(FLAG_AT)]), counter, Buffer.alloc(16), idLength, id, this.coseKey(publicKey)]);
    const attestationObject = cbor(new Map<string, CborValue>([["fmt", "none"], ["attStmt", new Map()], ["authData", authData]]));
    if (!opts.reuse) this.credentials.push({ id, privateKey, publicKey, rpId, userHandle: options.user.id, signCount: 0 });
    return {
      id: b64url(id),
      rawId: b64url(id),
      type: "public-key",
      response: { clientDataJSON: b64url(this.clientData("webauthn.create", options.challenge, opts.origin)), attestationObject: b64url(attestationObject), transports: ["internal"] },
      clientExtensionResults: {},
      authenticatorAttachment: "platform",
    };
  }

  /** navigator.credentials.get() with no allow list: the first (or named) discoverable credential for the RP answers. */
  authenticate(options: PublicKeyCredentialRequestOptionsJSON, opts: { credential?: SoftCredential; origin?: string } = {}): AuthenticationResponseJSON {
    const credential = opts.credential ?? this.credentials.find((c) => c.rpId === options.rpId);
    if (!credential) throw new Error("no credential for this relying party");
    credential.signCount += 1;
    const counter = Buffer.alloc(4);
    counter.writeUInt32BE(credential.signCount);
    const authenticatorData = Buffer.concat([sha256(credential.rpId), Buffer.from([this.flags()]), counter]);
    const clientDataJSON = this.clientData("webauthn.get", options.challenge, opts.origin);
    const signature = crypto.sign("sha256", Buffer.concat([authenticatorData, sha256(clientDataJSON)]), credential.privateKey);
    return {
      id: b64url(credential.id),
      rawId: b64url(credential.id),
      type: "public-key",
      response: { clientDataJSON: b64url(clientDataJSON), authenticatorData: b64url(authenticatorData), signature: b64url(signature), userHandle: credential.userHandle },
      clientExtensionResults: {},
      authenticatorAttachment: "platform",
    };
  }
}
