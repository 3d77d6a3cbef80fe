import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { localTemplateValues, renderTemplate } from './nginx.js';
import { repoPath } from '../paths.js';

const template = readFileSync(repoPath('infra/nginx/nginx.conf'), 'utf8');
const routes = { port: 8080, commandUpstream: '127.0.0.1:3001', queryUpstream: '127.0.0.1:3002', webRoot: '/srv/web' };

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
});
