import { appendFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server } from "node:http";
import { addCheckpoint, originHash, type Witness } from "./add-checkpoint";
import { readState, writeState, type WitnessState } from "./witness-state";

/** A request body larger than this is refused: a checkpoint, 63 hashes and a few signatures fit in far less. */
const MAX_BODY_BYTES = 64 * 1024;

export type WitnessFiles = { state: string; evidence: string };

/**
 * The witness's HTTP interface (C2SP tlog-witness): `POST /add-checkpoint`,
 * and `GET /<hex SHA-256 of the origin>/checkpoint`, the latest checkpoint it
 * cosigned for that log, for monitors. Requests are decided one at a time
 * (a queue), and the new state is on disk before the cosignature leaves.
 */
export function witnessServer(witness: Witness, files: WitnessFiles): Server {
  let state: WitnessState = readState(files.state);
  let queue: Promise<unknown> = Promise.resolve();
  const serially = <T>(work: () => T): Promise<T> => {
    const run = queue.then(work);
    queue = run.catch(() => undefined);
    return run;
  };

  return createServer((req, res) => {
    const send = (status: number, contentType: string, body: string) => {
      res.writeHead(status, { "content-type": contentType, "cache-control": "no-store" });
      res.end(body);
    };
    const url = new URL(req.url ?? "/", "http://witness");
    if (url.pathname === "/add-checkpoint") {
      if (req.method !== "POST") return send(405, "text/plain; charset=utf-8", "POST only\n");
      readBody(req).then(
        (body) =>
          serially(() => {
            const answer = addCheckpoint(witness, state, body, new Date());
            if (answer.next) {
              writeState(files.state, answer.next);
              state = answer.next;
            }
            if (answer.evidence) appendFileSync(files.evidence, `${answer.evidence}\n`, { mode: 0o600 });
            return answer;
          }).then(
            (a) => send(a.status, a.contentType, a.body),
            (err: Error) => send(500, "text/plain; charset=utf-8", `witness error: ${err.message}\n`),
          ),
        (err: Error & { status?: number }) => send(err.status ?? 400, "text/plain; charset=utf-8", `${err.message}\n`),
      );
      return;
    }
    const monitor = /^\/([0-9a-f]{64})\/checkpoint$/.exec(url.pathname);
    if (monitor && req.method === "GET") {
      const log = Object.entries(state.logs).find(([origin]) => originHash(origin) === monitor[1]);
      if (!log) return send(404, "text/plain; charset=utf-8", "this witness cosigned no checkpoint of that log\n");
      return send(200, "text/plain; charset=utf-8", log[1].note);
    }
    send(404, "text/plain; charset=utf-8", "not found\n");
  });
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let length = 0;
    req.on("data", (chunk: Buffer) => {
      length += chunk.length;
      if (length > MAX_BODY_BYTES) {
        reject(Object.assign(new Error("request body too large"), { status: 413 }));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => {
      const bytes = Buffer.concat(chunks);
      const text = bytes.toString("utf8");
      // A note is UTF-8; bytes that do not decode would be signed as something else.
      if (!Buffer.from(text, "utf8").equals(bytes)) reject(new Error("the request body is not UTF-8"));
      else resolve(text);
    });
    req.on("error", reject);
  });
}
