import { describe, expect, it } from '@jest/globals';
import { Registry } from 'prom-client';
import { createRequestMetrics } from './request-metrics.js';

const sampleLines = async (registry: Registry): Promise<string[]> => (await registry.metrics()).split('\n').filter((line) => line !== '' && !line.startsWith('#'));

describe('createRequestMetrics', () => {
  it('counts each request under its route pattern, method and status', async () => {
    const registry = new Registry();
    const metrics = createRequestMetrics(registry);
    metrics.observe('/api/products/:id', 'GET', 200, 0.003);
    metrics.observe('/api/products/:id', 'GET', 200, 0.004);
    metrics.observe('/api/products/:id', 'GET', 404, 0.002);
    const lines = await sampleLines(registry);
    expect(lines).toContain('http_request_duration_seconds_count{method="GET",route="/api/products/:id",status="200"} 2');
    expect(lines).toContain('http_request_duration_seconds_count{method="GET",route="/api/products/:id",status="404"} 1');
  });

  it('puts each duration in the right bucket', async () => {
    const registry = new Registry();
    createRequestMetrics(registry).observe('/api/orders', 'POST', 201, 0.3);
    const lines = await sampleLines(registry);
    expect(lines).toContain('http_request_duration_seconds_bucket{le="0.25",method="POST",route="/api/orders",status="201"} 0');
    expect(lines).toContain('http_request_duration_seconds_bucket{le="0.5",method="POST",route="/api/orders",status="201"} 1');
    expect(lines).toContain('http_request_duration_seconds_sum{method="POST",route="/api/orders",status="201"} 0.3');
  });
});
