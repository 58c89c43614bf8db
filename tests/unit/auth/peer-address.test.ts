import http from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { installPeerAddressHeader, isLoopbackPeer, peerAddressOf, PEER_ADDRESS_HEADER } from "@/lib/http/peer-address";
import { defined } from "../../support/defined";

/** Runs a real HTTP request through a server and returns the headers its handler saw. */
async function headersSeenByServer(sendHeaders: Record<string, string>): Promise<Headers> {
  let seen: Headers | undefined;
  const server = http.createServer((req, res) => {
    seen = new Headers(
      Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(", ") : (v ?? "")] as [string, string]),
    );
    res.end("ok");
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  try {
    const { port } = server.address() as AddressInfo;
    await fetch(`http://127.0.0.1:${port}/`, { headers: sendHeaders });
  } finally {
    await new Promise<void>((r) => server.close(() => r()));
  }
  return defined(seen);
}

describe("peer address", () => {
  it("stamps each request with the socket's address, overriding a forged header", async () => {
    installPeerAddressHeader();
    const seen = await headersSeenByServer({ [PEER_ADDRESS_HEADER]: "forged 10.0.0.1", "x-forwarded-for": "10.0.0.1" });
    expect(peerAddressOf(seen)).toBe("127.0.0.1");
    expect(isLoopbackPeer(seen)).toBe(true);
  });

  it("ignores a header whose tag is not this process's", () => {
    expect(peerAddressOf(new Headers({ [PEER_ADDRESS_HEADER]: "0123456789abcdef 127.0.0.1" }))).toBeUndefined();
    expect(isLoopbackPeer(new Headers({ "x-forwarded-for": "127.0.0.1" }))).toBe(false);
  });
});
