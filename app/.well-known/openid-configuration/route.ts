// OpenID Provider metadata; the handlers live in lib/oidc so the protocol fast lane calls the same ones.
export { GET, OPTIONS } from "@/lib/oidc/http/discovery-endpoint";
