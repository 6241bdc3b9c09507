import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Decision } from '../core/decision.ts';

/** The gateway's Prometheus metrics, on their own registry so tests and embedders never collide. */
export interface GatewayMetrics {
  readonly registry: Registry;
  /** Count one finished request. Children are cached: label hashing stays off the hot path. */
  request(route: string, status: number): void;
  decisions(decisions: readonly Decision[]): void;
  upstreamLatency(upstream: string, seconds: number): void;
  inFlight(delta: 1 | -1): void;
}

export function createMetrics(options: { processMetrics?: boolean } = {}): GatewayMetrics {
  const registry = new Registry();
  if (options.processMetrics ?? true) collectDefaultMetrics({ register: registry, prefix: 'parapet_' });
  const requests = new Counter({
    name: 'parapet_requests_total',
    help: 'Requests answered, by route and HTTP status.',
    labelNames: ['route', 'status'] as const,
    registers: [registry],
  });
  const decisions = new Counter({
    name: 'parapet_decisions_total',
    help: 'Policy decisions, by rule, action and mode (monitor decisions included).',
    labelNames: ['rule', 'action', 'mode'] as const,
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'parapet_upstream_latency_seconds',
    help: 'Time from sending a request upstream to its response headers.',
    labelNames: ['upstream'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers: [registry],
  });
  const inFlight = new Gauge({
    name: 'parapet_in_flight_requests',
    help: 'Requests being handled right now (streams included).',
    registers: [registry],
  });
  const requestChildren = new Map<string, { inc(): void }>();
  const latencyChildren = new Map<string, { observe(seconds: number): void }>();
  return {
    registry,
    request(route, status) {
      const key = `${route} ${status}`;
      let child = requestChildren.get(key);
      if (child === undefined) {
        child = requests.labels(route, String(status));
        requestChildren.set(key, child);
      }
      child.inc();
    },
    decisions(list) {
      for (const d of list) decisions.labels(d.rule, d.action, d.mode).inc();
    },
    upstreamLatency(upstream, seconds) {
      let child = latencyChildren.get(upstream);
      if (child === undefined) {
        child = latency.labels(upstream);
        latencyChildren.set(upstream, child);
      }
      child.observe(seconds);
    },
    inFlight(delta) {
      inFlight.inc(delta);
    },
  };
}
