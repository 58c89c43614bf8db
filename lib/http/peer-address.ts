import crypto from "node:crypto";
import http from "node:http";
import { isLoopbackAddress } from "@/lib/http/loopback";
import { processSlot } from "@/lib/process-state";

/**
 * The TCP peer address of a request, which the App Router does not expose:
 * pages see only headers, and X-Forwarded-For is whatever the client sent
 * (Next.js fills it from the socket only when it is missing). So the server
 * process stamps every incoming request with a header of its own, carrying
 * the socket's address behind a per-process random tag; a client can send a
 * header of that name but cannot know the tag, so a forged value is ignored.
 * Installed from instrumentation.ts before the portal serves.
 */
export const PEER_ADDRESS_HEADER = "x-guildhall-peer-address";

const tagSlot = processSlot<string>("peerAddressTag");

function tag(): string {
  return tagSlot.getOrInit(() => crypto.randomBytes(16).toString("hex"));
}

/**
 * Stamps one request. The protocol fast lane (lib/protocol-fast-lane/install-protocol-fast-lane.ts)
 * calls it for the requests it answers itself, so it does not depend on the
 * order in which the two patches were installed.
 */
export function stampPeerAddress(req: http.IncomingMessage): void {
  req.headers[PEER_ADDRESS_HEADER] = `${tag()} ${req.socket.remoteAddress ?? ""}`;
}

export function installPeerAddressHeader(): void {
  const proto = http.Server.prototype as http.Server & { guildhallPeerPatched?: boolean };
  if (proto.guildhallPeerPatched) return;
  proto.guildhallPeerPatched = true;
  const emit = proto.emit as (this: http.Server, event: string | symbol, ...args: unknown[]) => boolean;
  const stamped = function (this: http.Server, event: string | symbol, ...args: unknown[]): boolean {
    if (event === "request") stampPeerAddress(args[0] as http.IncomingMessage);
    return emit.call(this, event, ...args);
  };
  proto.emit = stamped as typeof proto.emit;
}

/** The peer address from a stamped header, or undefined when it is missing or forged. */
export function peerAddressOf(headers: Pick<Headers, "get">): string | undefined {
  const value = headers.get(PEER_ADDRESS_HEADER);
  if (!value) return undefined;
  const [valueTag, address] = value.split(" ");
  return valueTag === tag() && address ? address : undefined;
}

export function isLoopbackPeer(headers: Headers): boolean {
  return isLoopbackAddress(peerAddressOf(headers));
}
