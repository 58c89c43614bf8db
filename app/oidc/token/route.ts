// The token endpoint; the handlers live in lib/oidc so the protocol fast lane calls the same ones.
export { POST, OPTIONS } from "@/lib/oidc/http/token-endpoint";
