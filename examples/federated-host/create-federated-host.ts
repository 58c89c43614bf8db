import http from "node:http";
import { SignJWT, type CryptoKey, type JWK, type KeyObject } from "jose";
import {
  fetchServiceConfiguration,
  loadAnchor,
  type AnchorPin,
  type AnchorView,
  type ServiceConfiguration,
} from "./trust-anchor";
import { signPing, verifyPing } from "./peer-ping";
import { createSignIn } from "./sign-in";
import { createTheaterTrust } from "./theater-trust";

export type FederatedHostOptions = {
  pin: AnchorPin;
  /** This host's entity id: its base URL, as its admission declared it. */
  entityId: string;
  port: number;
  key: CryptoKey | KeyObject;
  publicJwk: JWK;
  /** How often the configuration is fetched again and the peers asked. */
  refreshMs: number;
  log: (line: Record<string, unknown>) => void;
  /** Called when this host finds itself removed from the federation: it has closed and should exit. */
  onRemoved: () => void;
};

type State = {
  view?: AnchorView;
  config?: ServiceConfiguration;
  admitted: boolean;
  everAdmitted: boolean;
  open: boolean;
  peers: Record<string, "trusted" | "unreachable" | "refused">;
  lastError?: string;
};

/**
 * A backend of the federated ticketing service, in the shape the
 * configuration expects: it starts from the trust anchor's pinned key (or DNS
 * records), fetches and verifies the signed service configuration, finds its
 * peers there, and serves only while it sees a quorum of admitted hosts
 * (itself included) answering its signed pings. Each refresh repeats that:
 * a peer the members removed is no longer trusted (its pings are refused,
 * it is not counted), and a host that finds itself removed closes itself.
 * It signs users in through Guildhall by automatic registration and accepts
 * a theater only while its licensed-theater trust mark is active.
 */
/**
 * How long a peer has to answer a ping, whatever the refresh period: a busy peer is slow, not absent, and a
 * timeout tied to a short period counted it unreachable (and lost the quorum) on a loaded machine.
 */
const PING_TIMEOUT_MS = 3000;

export async function startFederatedHost(o: FederatedHostOptions) {
  const kid = String(o.publicJwk.kid);
  const state: State = { admitted: false, everAdmitted: false, open: false, peers: {} };
  const seenPings = new Map<string, number>();
  let signIn: ReturnType<typeof createSignIn> | undefined;
  let checkTheater: ReturnType<typeof createTheaterTrust> | undefined;

  async function refresh(): Promise<void> {
    try {
      if (!state.view) {
        state.view = await loadAnchor(o.pin);
        const boot = o.pin.bootstrap;
        state.config = await fetchServiceConfiguration(
          state.view,
          boot ? { url: boot.url, expectSha256: boot.sha256 } : {},
        );
        signIn = createSignIn(state.view.op, { entityId: o.entityId, key: o.key, kid });
        checkTheater = createTheaterTrust({
          anchor: state.view.anchor,
          jwks: state.view.jwks,
          statusEndpoint: state.view.trustMarkStatusEndpoint,
          cacheMs: Math.min(o.refreshMs, 30_000),
        });
      }
      state.config = await fetchServiceConfiguration(state.view, { notBefore: state.config?.version });
      const me = state.config.hosts.find((h) => h.entityId === o.entityId);
      // Admitted means: listed, and with this host's own key among those voted (else another holds the name).
      state.admitted = !!me?.jwks.keys.some((k) => k.kid === kid && k.x === o.publicJwk.x && k.y === o.publicJwk.y);
      if (state.everAdmitted && !state.admitted) {
        o.log({ msg: "removed from the federation: closing", version: state.config.version });
        state.open = false;
        await close();
        o.onRemoved();
        return;
      }
      state.everAdmitted ||= state.admitted;
      await askPeers(state.config);
      const seen = 1 + Object.values(state.peers).filter((p) => p === "trusted").length;
      const open = state.admitted && seen >= state.config.quorum.hostsRequired;
      if (open !== state.open)
        o.log({
          msg: open ? "quorum seen: open" : "no quorum: closed",
          seen,
          required: state.config.quorum.hostsRequired,
        });
      state.open = open;
      state.lastError = undefined;
    } catch (e) {
      // Unable to verify the federation's state: serve nothing rather than something unchecked.
      state.lastError = e instanceof Error ? e.message : String(e);
      state.open = false;
      o.log({ msg: "refresh failed: closed", err: state.lastError });
    }
  }

  async function askPeers(config: ServiceConfiguration): Promise<void> {
    const peers: State["peers"] = {};
    await Promise.all(
      config.hosts
        .filter((h) => h.entityId !== o.entityId)
        .map(async (h) => {
          try {
            const ping = await signPing({ from: o.entityId, to: h.entityId, key: o.key, kid });
            const res = await fetch(`${h.entityId}/federation-peer/ping`, {
              method: "POST",
              headers: { "content-type": "application/jwt" },
              body: ping,
              signal: AbortSignal.timeout(PING_TIMEOUT_MS),
            });
            // Refused is the peer's verdict on this host (403); any other answer, such as a peer still starting, is not.
            peers[h.entityId] = res.ok ? "trusted" : res.status === 403 ? "refused" : "unreachable";
          } catch {
            peers[h.entityId] = "unreachable";
          }
        }),
    );
    state.peers = peers;
  }

  async function entityConfiguration(): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({
      iss: o.entityId,
      sub: o.entityId,
      iat: now,
      exp: now + 3600,
      jwks: { keys: [o.publicJwk] },
      authority_hints: [o.pin.anchor],
      metadata: {
        federation_entity: { organization_name: `Host ${o.entityId}` },
        openid_relying_party: {
          client_name: `Federated host ${new URL(o.entityId).port}`,
          redirect_uris: [`${o.entityId}/cb`],
          grant_types: ["authorization_code"],
          scope: "openid email",
          token_endpoint_auth_method: "private_key_jwt",
        },
      },
    })
      .setProtectedHeader({ alg: "ES256", kid, typ: "entity-statement+jwt" })
      .sign(o.key);
  }

  const json = (res: http.ServerResponse, status: number, body: unknown) =>
    res
      .writeHead(status, { "content-type": "application/json", "cache-control": "no-store" })
      .end(JSON.stringify(body));
  const readBody = async (req: http.IncomingMessage) => {
    let text = "";
    for await (const chunk of req) {
      text += chunk;
      if (text.length > 16_384) throw new Error("too large");
    }
    return text;
  };

  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", o.entityId);
    try {
      if (url.pathname === "/.well-known/openid-federation") {
        res.writeHead(200, { "content-type": "application/entity-statement+jwt" }).end(await entityConfiguration());
        return;
      }
      if (url.pathname === "/status")
        return json(res, 200, {
          open: state.open,
          admitted: state.admitted,
          version: state.config?.version ?? null,
          hostsRequired: state.config?.quorum.hostsRequired ?? null,
          peers: state.peers,
          error: state.lastError ?? null,
        });
      if (url.pathname === "/federation-peer/ping" && req.method === "POST") {
        // Before its first verified configuration this host knows no admitted peer: not knowing is not a refusal.
        if (!state.config) return json(res, 503, { code: "NOT_READY" });
        const admitted = new Map((state.config?.hosts ?? []).map((h) => [h.entityId, h.jwks]));
        const verdict = await verifyPing((await readBody(req)).trim(), { self: o.entityId, admitted, seen: seenPings });
        if (!verdict.ok) {
          o.log({ msg: "peer refused", code: verdict.code });
          return json(res, 403, { code: verdict.code });
        }
        return json(res, 200, { pong: o.entityId, open: state.open });
      }
      // Everything below is the service itself: only while a quorum of admitted hosts is seen.
      if (!state.open) return json(res, 503, { code: "CLOSED", detail: "no quorum of admitted hosts is seen" });
      if (url.pathname === "/api/hello") return json(res, 200, { hello: o.entityId });
      if (url.pathname === "/login" && signIn) {
        res.writeHead(303, { location: await signIn.start() }).end();
        return;
      }
      if (url.pathname === "/cb" && signIn) return json(res, 200, await signIn.finish(url.searchParams));
      if (url.pathname === "/theater/session" && req.method === "POST" && checkTheater) {
        const mark = String(req.headers["guildhall-trust-mark"] ?? "");
        const verdict = await checkTheater(mark);
        if (!verdict.ok) o.log({ msg: "theater refused", code: verdict.code });
        return json(res, verdict.ok ? 200 : 403, verdict);
      }
      return json(res, 404, { code: "NOT_FOUND" });
    } catch (e) {
      o.log({ msg: "request failed", err: e instanceof Error ? e.message : String(e) });
      return json(res, 400, { code: "REFUSED", detail: e instanceof Error ? e.message : String(e) });
    }
  });

  await new Promise<void>((resolve) => server.listen(o.port, "127.0.0.1", resolve));
  await refresh();
  // The next refresh is timed from the end of the last, never on an interval: a refresh slowed by a peer's late
  // answer would otherwise overlap the next one, and the two would write the peers' verdicts over each other.
  let timer: NodeJS.Timeout;
  const scheduleRefresh = () => {
    timer = setTimeout(() => void refresh().finally(() => closed || scheduleRefresh()), o.refreshMs);
  };
  let closed = false;
  scheduleRefresh();
  async function close(): Promise<void> {
    if (closed) return;
    closed = true;
    clearTimeout(timer);
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
  return { state, refresh, close };
}
