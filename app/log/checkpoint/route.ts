// Public, C2SP tlog-tiles: the latest signed checkpoint (docs/LOG.md). The handler lives in lib/transparency so the
// protocol fast lane calls the same one.
export { checkpointGET as GET } from "@/lib/transparency/http/log-file-endpoints";
