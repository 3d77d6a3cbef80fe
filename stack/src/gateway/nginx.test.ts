import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { localTemplateValues, renderTemplate } from './nginx.js';
import { repoPath } from '../paths.js';

const template = readFileSync(repoPath('infra/nginx/nginx.conf'), 'utf8');
const routes = { port: 8080, commandUpstreams: ['127.0.0.1:3001'], queryUpstreams: ['127.0.0.1:3002'], webRoot: '/srv/web' };

describe('the gateway template under npm start', () => {
  it('leaves the dev-only variables empty, so the strict CSP and the built app are what nginx gets', () => {
    const config = renderTemplate(template, localTemplateValues(routes));
    expect(config).not.toContain('${');
    // The CSP map: an empty key (GATEWAY_CSP unset) selects the template's own policy, which allows no inline code.
    expect(config).toMatch(/map "" \$shop_csp \{\n\s+""\s+"default-src 'self'; script-src 'self'; style-src 'self';[^"]*frame-ancestors 'none'";/);
    // No Vite: the dev server variable is empty, so `location /` serves the web root.
    expect(config).toMatch(/map "" \$shop_web_dev_server \{\n\s+default "";/);
    expect(config).toContain('root /srv/web;');
  });

  it('puts a given dev server and CSP in their place (what docker-compose.dev.yml makes the gateway render)', () => {
    const config = renderTemplate(template, {
      ...localTemplateValues(routes),
      WEB_DEV_SERVER: 'web:5173',
      GATEWAY_CSP: "default-src 'self'; script-src 'self' 'unsafe-inline'",
    });
    expect(config).toMatch(/map "web:5173" \$shop_web_dev_server \{\n\s+default "web:5173";/);
    expect(config).toContain(`default "default-src 'self'; script-src 'self' 'unsafe-inline'";`);
  });

  it('lists every instance in its upstream block, each with the passive health check', () => {
    const config = renderTemplate(template, localTemplateValues({ ...routes, commandUpstreams: ['127.0.0.1:3001', '127.0.0.1:4001'], queryUpstreams: ['127.0.0.1:3002', '127.0.0.1:4002'] }));
    expect(config).toMatch(/upstream command_service \{\n\s+zone command_service 64k;\n\s+server 127\.0\.0\.1:3001 max_fails=1 fail_timeout=5s; server 127\.0\.0\.1:4001 max_fails=1 fail_timeout=5s ;/);
    expect(config).toMatch(/upstream query_service \{\n\s+zone query_service 64k;\n\s+server 127\.0\.0\.1:3002 max_fails=1 fail_timeout=5s; server 127\.0\.0\.1:4002 max_fails=1 fail_timeout=5s ;/);
  });
});
