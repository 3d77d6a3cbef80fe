// The Prometheus and Alertmanager files checked by their own tools, as CI must: promtool check config (both scrape
// configs), check rules, test rules (alerts.test.yml), and amtool check-config. A failure shows the tool's output.
import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { repoPath } from '../paths.js';
import { checkTool, renderedAlertmanagerConfig, runTool } from './check-tools.js';

const promtool = checkTool('promtool');
const amtool = checkTool('amtool');

const passes = (result: { status: number | null; output: string }): void => {
  expect({ status: result.status, output: result.output }).toEqual({ status: 0, output: expect.any(String) });
};

(promtool.skip ? describe.skip : describe)('Prometheus files (promtool)', () => {
  it.each(['infra/prometheus/prometheus.yml', 'infra/prometheus/prometheus.compose.yml'])('%s is a valid config with its rules', (file) => {
    passes(runTool(promtool.path!, ['check', 'config', file]));
  });

  it('has alert rules promtool accepts', () => {
    const result = runTool(promtool.path!, ['check', 'rules', 'infra/prometheus/alerts.yml']);
    passes(result);
    expect(result.output).toMatch(/SUCCESS: \d+ rules found/);
  });

  it('passes the alert rules\' unit tests, each alert firing once and kept quiet once', () => {
    passes(runTool(promtool.path!, ['test', 'rules', 'alerts.test.yml'], repoPath('infra/prometheus')));
  });

  it('has a unit test for every alert rule', () => {
    const alerts = [...readFileSync(repoPath('infra/prometheus/alerts.yml'), 'utf8').matchAll(/^\s+- alert: (\w+)/gm)].map((m) => m[1]);
    const tested = new Set([...readFileSync(repoPath('infra/prometheus/alerts.test.yml'), 'utf8').matchAll(/alertname: (\w+)/g)].map((m) => m[1]));
    expect(alerts.length).toBeGreaterThan(0);
    expect(alerts.filter((alert) => !tested.has(alert))).toEqual([]);
  });
});

(amtool.skip ? describe.skip : describe)('Alertmanager config (amtool)', () => {
  it('is valid once the entrypoint has written the webhook URL into it', () => {
    passes(runTool(amtool.path!, ['check-config', renderedAlertmanagerConfig('http://alert-sink:9099/alerts')]));
  });

  it('routes every alert, page or ticket, to the webhook receiver', () => {
    const config = renderedAlertmanagerConfig('http://alert-sink:9099/alerts');
    for (const labels of [['alertname=ShopServiceDown', 'severity=page'], ['alertname=ShopProjectionDeadLetters', 'severity=ticket']]) {
      const result = runTool(amtool.path!, ['config', 'routes', 'test', `--config.file=${config}`, ...labels]);
      expect({ labels, status: result.status, receiver: result.stdout.trim(), output: result.output }).toEqual({ labels, status: 0, receiver: 'shop-operators', output: expect.any(String) });
    }
  });
});
