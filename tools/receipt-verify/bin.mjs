#!/usr/bin/env node
// The verifier is TypeScript over node:crypto and lib/merkle; tsx compiles it on the fly.
import { register } from "tsx/esm/api";

register();
await import("./main.ts");
