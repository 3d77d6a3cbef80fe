import { z } from 'zod';

// The gateway's Content-Security-Policy has no 'unsafe-eval' (infra/nginx/nginx.conf). zod 4 probes `new Function`
// to decide whether to compile its parsers; under that CSP the probe throws, which zod swallows, but the browser
// still reports it as a violation. Jitless zod never probes. Imported first by main.tsx, before any schema runs.
z.config({ jitless: true });
