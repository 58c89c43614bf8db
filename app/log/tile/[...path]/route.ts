// Public, C2SP tlog-tiles: `/log/tile/<L>/<N>[.p/<W>]` and `/log/tile/entries/<N>[.p/<W>]`. The handler lives in
// lib/transparency so the protocol fast lane calls the same one.
export { tileGET as GET } from "@/lib/transparency/http/log-file-endpoints";
