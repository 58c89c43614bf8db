// The few parts of autocannon 9 (which ships no types) the benchmarks use.
declare module "autocannon" {
  type Histogram = { average: number; p50: number; p99: number; total: number };
  export type Result = {
    requests: Histogram;
    latency: Histogram;
    duration: number;
    errors: number;
    timeouts: number;
    non2xx: number;
  };
  export type Request = { method?: string; path?: string; headers?: Record<string, string>; body?: string };
  export type Options = {
    url: string;
    connections?: number;
    duration?: number;
    method?: string;
    headers?: Record<string, string>;
    body?: string;
    /** Requests sent in turn; setupRequest may change each one before it is sent (a fresh Idempotency-Key). */
    requests?: (Request & { setupRequest?: (req: Request) => Request; onResponse?: (status: number) => void })[];
    /** Called with each connection's client as it is made (bench:log replaces its body collector). */
    setupClient?: (client: Client) => void;
  };
  /** The part of a connection's client bench:log touches: the queue that gathers each response's body as text. */
  export type Client = { pipelinedRequests: { addBody: (data: Buffer) => void } };
  export default function autocannon(opts: Options): Promise<Result>;
}
