import fs from "node:fs";
import path from "node:path";

/**
 * The files the client keeps in its directory: the private key (0600, never
 * sent anywhere), the request, what Guildhall issued, and where it came from.
 */
export const files = {
  key: "key.pem",
  csr: "csr.pem",
  certificate: "cert.pem",
  chain: "chain.pem",
  licenseDocument: "license.jws",
  config: "guildhall.json",
} as const;

export type ClientConfig = { url?: string; licenseId?: string };

export function readFile(dir: string, name: string): string {
  const p = path.join(dir, name);
  if (!fs.existsSync(p)) throw new Error(`${p} is missing`);
  return fs.readFileSync(p, "utf8");
}

export function writeFile(dir: string, name: string, body: string, mode = 0o644): void {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, name), body.endsWith("\n") ? body : `${body}\n`, { mode });
}

export function readConfig(dir: string): ClientConfig {
  const p = path.join(dir, files.config);
  return fs.existsSync(p) ? (JSON.parse(fs.readFileSync(p, "utf8")) as ClientConfig) : {};
}

export function saveConfig(dir: string, config: ClientConfig): void {
  writeFile(dir, files.config, JSON.stringify({ ...readConfig(dir), ...config }, null, 2));
}
