// HEALTHCHECK of the Node service images: GET /healthz on the service's own port. Node's fetch, because the
// images carry no curl; a hung service fails through the timeout instead of holding the check open.
const port = process.env.PORT ?? '3000';
try {
  const response = await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(2_500) });
  process.exit(response.ok ? 0 : 1);
} catch {
  process.exit(1);
}
