// HEALTHCHECK of the Node service images: GET /healthz on the service's own port. Node's fetch, because the
// images carry no curl; a hung service fails through the timeout instead of holding the check open. The limits
// (8 s here, 10 s in HEALTHCHECK) are generous on purpose: on a loaded 2-core host, starting node for the check alone
// was seen to take 4-5 s, and a 3 s limit marked healthy services unhealthy.
const port = process.env.PORT ?? '3000';
try {
  const response = await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(8_000) });
  process.exit(response.ok ? 0 : 1);
} catch {
  process.exit(1);
}
