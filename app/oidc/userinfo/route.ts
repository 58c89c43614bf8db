// The UserInfo endpoint; the handlers live in lib/oidc so the protocol fast lane calls the same ones.
export { GET, POST, OPTIONS } from "@/lib/oidc/http/userinfo-endpoint";
