// The trust anchor's Entity Configuration; the handlers live in lib/federation so the protocol fast lane calls the same ones.
export { GET, OPTIONS } from "@/lib/federation/http/entity-configuration-endpoint";
