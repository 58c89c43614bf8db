#!/usr/bin/env node
// The witness is TypeScript over lib/merkle (node:crypto only); tsx compiles it on the fly.
import { register } from "tsx/esm/api";

register();
await import("./main.ts");
