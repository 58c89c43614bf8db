// Public: the log's C2SP verifier key (vkey), for witnesses and `tools/log-verify`.
export { keyGET as GET } from "@/lib/transparency/http/log-file-endpoints";
