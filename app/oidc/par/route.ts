// RFC 9126 pushed authorization requests; the handler lives in lib/oidc/http.
export { POST } from "@/lib/oidc/http/par-endpoint";
