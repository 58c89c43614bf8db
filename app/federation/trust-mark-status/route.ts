// The trust mark status endpoint; the handlers live in lib/federation so the protocol fast lane calls the same ones.
export { POST, OPTIONS } from "@/lib/federation/http/trust-mark-status-endpoint";
