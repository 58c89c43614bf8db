import "server-only";
/**
 * The small part of CBOR (RFC 8949) a COSE public key uses: unsigned and
 * negative integers, byte and text strings, arrays and maps, definite lengths
 * only. Written here, on node:crypto alone, so that the ballot verifier runs
 * outside Guildhall with nothing but Node.
 */
export type CborValue =
  | number
  | bigint
  | Uint8Array
  | string
  | boolean
  | null
  | CborValue[]
  | Map<CborValue, CborValue>;

export function decodeCbor(bytes: Uint8Array): CborValue {
  const { value, offset } = decodeItem(bytes, 0, 0);
  if (offset !== bytes.length) throw new Error("CBOR: trailing bytes");
  return value;
}

function readLength(bytes: Uint8Array, info: number, at: number): { n: number; offset: number } {
  if (info < 24) return { n: info, offset: at };
  const size = info === 24 ? 1 : info === 25 ? 2 : info === 26 ? 4 : info === 27 ? 8 : 0;
  if (size === 0) throw new Error("CBOR: indefinite or reserved length");
  if (at + size > bytes.length) throw new Error("CBOR: truncated");
  let n = 0;
  for (let i = 0; i < size; i++) n = n * 256 + bytes[at + i];
  if (!Number.isSafeInteger(n)) throw new Error("CBOR: length too large");
  return { n, offset: at + size };
}

function decodeItem(bytes: Uint8Array, at: number, depth: number): { value: CborValue; offset: number } {
  if (depth > 16) throw new Error("CBOR: nested too deep");
  if (at >= bytes.length) throw new Error("CBOR: truncated");
  const major = bytes[at] >> 5;
  const info = bytes[at] & 0x1f;
  if (major === 7) {
    if (info === 20) return { value: false, offset: at + 1 };
    if (info === 21) return { value: true, offset: at + 1 };
    if (info === 22) return { value: null, offset: at + 1 };
    throw new Error("CBOR: unsupported simple value");
  }
  const { n, offset } = readLength(bytes, info, at + 1);
  switch (major) {
    case 0:
      return { value: n, offset };
    case 1:
      return { value: -1 - n, offset };
    case 2:
    case 3: {
      if (offset + n > bytes.length) throw new Error("CBOR: truncated string");
      const slice = bytes.slice(offset, offset + n);
      return {
        value: major === 2 ? slice : new TextDecoder("utf-8", { fatal: true }).decode(slice),
        offset: offset + n,
      };
    }
    case 4: {
      const items: CborValue[] = [];
      let o = offset;
      for (let i = 0; i < n; i++) {
        const item = decodeItem(bytes, o, depth + 1);
        items.push(item.value);
        o = item.offset;
      }
      return { value: items, offset: o };
    }
    case 5: {
      const map = new Map<CborValue, CborValue>();
      let o = offset;
      for (let i = 0; i < n; i++) {
        const k = decodeItem(bytes, o, depth + 1);
        const v = decodeItem(bytes, k.offset, depth + 1);
        map.set(k.value, v.value);
        o = v.offset;
      }
      return { value: map, offset: o };
    }
    default:
      throw new Error("CBOR: unsupported major type");
  }
}
