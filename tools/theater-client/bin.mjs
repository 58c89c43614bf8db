#!/usr/bin/env node
// The management client is TypeScript that shares its verifiers with the
// portal (lib/licensing); tsx compiles it on the fly.
import { register } from "tsx/esm/api";

register();
await import("./main.ts");
