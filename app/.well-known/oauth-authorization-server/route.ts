// RFC 8414 authorization server metadata: the same document as OpenID discovery (RFC 8414 §5 allows it), same issuer.
export { GET, OPTIONS } from "@/lib/oidc/http/discovery-endpoint";
