import "server-only";
import { context, propagation, trace } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { W3CTraceContextPropagator } from "@opentelemetry/core";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { registerInstrumentations } from "@opentelemetry/instrumentation";
import { HttpInstrumentation } from "@opentelemetry/instrumentation-http";
import { PgInstrumentation } from "@opentelemetry/instrumentation-pg";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { BatchSpanProcessor, TracerProvider } from "@opentelemetry/sdk-trace";

/**
 * OpenTelemetry tracing, started from instrumentation.ts only when
 * OTEL_EXPORTER_OTLP_ENDPOINT is set (otherwise this module is never loaded).
 * Next.js makes its own spans for every request once a tracer provider is
 * registered; the pg instrumentation adds one per database query (statements
 * only, never their parameters), the http one outgoing calls (Stripe, SMTP
 * relays over HTTP, back-channel logout). Spans go to the collector by
 * OTLP/HTTP; the exporter reads the endpoint and headers from the standard
 * OTEL_EXPORTER_OTLP_* variables. Returns a function that flushes and stops.
 */
export function startTracing(): () => Promise<void> {
  const provider = new TracerProvider({
    resource: resourceFromAttributes({ "service.name": process.env.OTEL_SERVICE_NAME ?? "guildhall" }),
    spanProcessors: [new BatchSpanProcessor({ exporter: new OTLPTraceExporter() })],
  });
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  trace.setGlobalTracerProvider(provider);
  registerInstrumentations({
    tracerProvider: provider,
    instrumentations: [new HttpInstrumentation(), new PgInstrumentation({ enhancedDatabaseReporting: false })],
  });
  return () => provider.shutdown();
}
