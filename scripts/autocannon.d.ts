// The few parts of autocannon 9 (which ships no types) the OIDC benchmark uses.
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
  export type Options = {
    url: string;
    connections?: number;
    duration?: number;
    method?: string;
    headers?: Record<string, string>;
    body?: string;
  };
  export default function autocannon(opts: Options): Promise<Result>;
}
