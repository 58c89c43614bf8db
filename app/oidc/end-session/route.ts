// RP-initiated logout; the handler lives in lib/oidc/http beside the other OIDC endpoints.
export { GET, POST } from "@/lib/oidc/http/end-session-endpoint";
