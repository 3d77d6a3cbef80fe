// Every overlay in infra/k8s/overlays, built by `kubectl kustomize` (Debian's kubectl: package kubernetes-client,
// which .ci/run installs; SHOP_KUBECTL names another binary), then every object checked against the Kubernetes
// schemas (kubernetes-models, offline) and against the house rules (manifest-rules.ts). No cluster is needed or used.
import { describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { createPublicKey } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import { MasterKey } from '@shop/kernel';
import { keyIdOf, parseEd25519PrivateKey, parseEd25519PublicKey, productionProblems } from '@shop/service-kit';
import { repoPath } from '../paths.js';
import {
  availabilityProblems,
  containerProblems,
  imageProblems,
  podTemplateOf,
  projectorProblems,
  referenceProblems,
  schemaProblems,
  type K8sObject,
} from './manifest-rules.js';

const KUBECTL = process.env.SHOP_KUBECTL ?? 'kubectl';
const OVERLAYS = readdirSync(repoPath('infra/k8s/overlays')).sort();

/** What each overlay expects to exist before it is applied (made outside the repository), and tags it must not ship. */
const EXPECTATIONS: Record<string, { external: string[]; forbiddenTags: string[] }> = {
  dev: { external: [], forbiddenTags: [] },
  production: { external: ['Secret/shop-secrets', 'Secret/shop-tls'], forbiddenTags: ['local'] },
};

const builds = new Map<string, K8sObject[]>();

/** The overlay as `kubectl kustomize` builds it (once per run). */
function build(overlay: string): K8sObject[] {
  const done = builds.get(overlay);
  if (done) return done;
  const result = spawnSync(KUBECTL, ['kustomize', repoPath(`infra/k8s/overlays/${overlay}`)], { encoding: 'utf8', timeout: 30_000 });
  if (result.error) {
    throw new Error(`cannot run ${KUBECTL} (${result.error.message}): install kubectl (Debian: apt-get install kubernetes-client) or set SHOP_KUBECTL`);
  }
  if (result.status !== 0) throw new Error(`${KUBECTL} kustomize ${overlay} failed:\n${result.stderr}`);
  const documents = parseAllDocuments(result.stdout);
  for (const document of documents) if (document.errors.length) throw new Error(`${overlay}: ${document.errors[0]!.message}`);
  const objects = documents.map((document) => document.toJS() as K8sObject).filter((object) => object !== null);
  // kubectl 1.2x+ folds a long base64 value of a generated Secret over several lines; the API server's decoder skips
  // line breaks (Go's encoding/base64), the schema's "byte" format does not.
  for (const object of objects) {
    if (object.kind === 'Secret' && object.data) object.data = Object.fromEntries(Object.entries(object.data).map(([k, v]) => [k, v.replace(/\s/g, '')]));
  }
  builds.set(overlay, objects);
  return objects;
}

const envOf = (objects: K8sObject[], kind: string, name: string): Record<string, string | undefined> => {
  const workload = objects.find((o) => o.kind === kind && o.metadata.name === name);
  const env = podTemplateOf(workload!)?.spec.containers[0]?.env ?? [];
  return Object.fromEntries(env.map((e) => [e.name, e.value]));
};
const configOf = (objects: K8sObject[]): Record<string, string> => objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name.startsWith('shop-config'))?.data ?? {};

/**
 * A container's environment as Kubernetes would hand it over, from the build alone: values, ConfigMap and Secret keys
 * (Secrets decoded), then `$(VAR)` expanded from the variables before it. Only for overlays that carry their Secret.
 */
function resolvedEnv(objects: K8sObject[], kind: string, name: string): Record<string, string> {
  const workload = objects.find((o) => o.kind === kind && o.metadata.name === name);
  const container = podTemplateOf(workload!)!.spec.containers[0]!;
  const data = (dataKind: string, dataName: string): Record<string, string> =>
    objects.find((o) => o.kind === dataKind && o.metadata.name === dataName)?.data ?? {};
  const env: Record<string, string> = {};
  for (const variable of container.env ?? []) {
    const secret = variable.valueFrom?.secretKeyRef;
    const config = variable.valueFrom?.configMapKeyRef;
    let value: string | undefined = variable.value?.replace(/\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g, (text, used: string) => env[used] ?? text);
    if (secret) value = data('Secret', secret.name)[secret.key] === undefined ? undefined : Buffer.from(data('Secret', secret.name)[secret.key]!, 'base64').toString('utf8');
    if (config) value = data('ConfigMap', config.name)[config.key];
    if (value !== undefined) env[variable.name] = value;
  }
  return env;
}

describe('the Kubernetes manifests (infra/k8s)', () => {
  it('has an expectation for every overlay, and the overlays are dev and production', () => {
    expect(OVERLAYS).toEqual(Object.keys(EXPECTATIONS).sort());
  });

  it('ships the compose backup script unchanged (kustomize reads no file outside infra/k8s/base)', () => {
    expect(readFileSync(repoPath('infra/k8s/base/backup.sh'), 'utf8')).toBe(readFileSync(repoPath('infra/backup/backup.sh'), 'utf8'));
  });

  describe.each(OVERLAYS)('overlay %s', (overlay) => {
    const expectation = EXPECTATIONS[overlay] ?? { external: [], forbiddenTags: [] };
    const objects = (): K8sObject[] => build(overlay);

    it('builds, with the workloads of every part', () => {
      const names = objects().map((o) => `${o.kind}/${o.metadata.name}`);
      for (const part of ['Deployment/command-service', 'Deployment/query-service', 'Deployment/gateway', 'StatefulSet/projector', 'Job/migrate', 'CronJob/backup']) {
        expect(names).toContain(part);
      }
      expect(names).toEqual(expect.arrayContaining(['HorizontalPodAutoscaler/command-service', 'HorizontalPodAutoscaler/query-service', 'NetworkPolicy/default-deny']));
    });

    it('validates every object against the Kubernetes schemas', () => {
      expect(schemaProblems(objects())).toEqual([]);
    });

    it('gives every container resources, a non-root read-only hardened context, and probes where it runs for long', () => {
      expect(containerProblems(objects())).toEqual([]);
    });

    it('covers every Deployment and StatefulSet with a PodDisruptionBudget, and leaves the replicas of scaled ones to their HPA', () => {
      expect(availabilityProblems(objects())).toEqual([]);
    });

    it('runs as many projection partitions as projector pods', () => {
      expect(projectorProblems(objects())).toEqual([]);
    });

    it('refers only to settings, Secrets and volumes that exist or are expected to', () => {
      expect(referenceProblems(objects(), new Set(expectation.external))).toEqual([]);
    });

    it('names a release tag on every image', () => {
      expect(imageProblems(objects(), expectation.forbiddenTags)).toEqual([]);
    });

    it('puts everything in the namespace shop, under Pod Security "restricted"', () => {
      const namespace = objects().find((o) => o.kind === 'Namespace');
      expect(namespace?.metadata.name).toBe('shop');
      expect(namespace?.metadata.labels?.['pod-security.kubernetes.io/enforce']).toBe('restricted');
      expect(objects().filter((o) => o.kind !== 'Namespace' && o.metadata.namespace !== 'shop').map((o) => o.metadata.name)).toEqual([]);
    });
  });

  it('production: holds no secret value, runs in production mode, serves TLS from the Secret shop-tls, and spreads every workload', () => {
    const objects = build('production');
    expect(objects.filter((o) => o.kind === 'Secret')).toEqual([]);
    expect(configOf(objects).NODE_ENV).toBe('production');
    expect(envOf(objects, 'Deployment', 'gateway').GATEWAY_TLS).toBe('on');
    expect(objects.find((o) => o.kind === 'Service' && o.metadata.name === 'gateway')?.spec).toMatchObject({ type: 'LoadBalancer', externalTrafficPolicy: 'Local' });
    const unspread = objects
      .filter((o) => o.kind === 'Deployment' || o.kind === 'StatefulSet')
      .filter((o) => !(podTemplateOf(o)?.spec as { topologySpreadConstraints?: unknown[] }).topologySpreadConstraints?.length);
    expect(unspread.map((o) => o.metadata.name)).toEqual([]);
  });

  it('dev: runs the data services in the cluster, in development mode (its published secrets are refused by production mode)', () => {
    const objects = build('dev');
    const dataServices = objects.filter((o) => o.kind === 'StatefulSet' && o.metadata.name !== 'projector').map((o) => o.metadata.name);
    expect(dataServices.sort()).toEqual(['nats', 'postgres', 'redis']);
    expect(configOf(objects).NODE_ENV).toBe('development');
    expect(envOf(objects, 'Deployment', 'gateway').GATEWAY_TLS).toBe('off');
  });

  it('dev: hands each service settings it can start on, which production mode refuses (its secrets are published)', () => {
    const objects = build('dev');
    const command = resolvedEnv(objects, 'Deployment', 'command-service');
    const query = resolvedEnv(objects, 'Deployment', 'query-service');
    const projector = resolvedEnv(objects, 'StatefulSet', 'projector');
    expect(new URL(command.DATABASE_URL!)).toMatchObject({ username: 'shop_command', host: 'postgres:5432', pathname: '/shop', search: '?sslmode=disable' });
    expect(new URL(query.DATABASE_URL!).username).toBe('shop_query');
    expect(new URL(projector.DATABASE_URL!).username).toBe('shop_projector');
    // The command service signs with the private half of the very key the query service verifies with.
    const signing = createPublicKey(parseEd25519PrivateKey(command.JWT_PRIVATE_KEY!));
    expect(keyIdOf(signing)).toBe(keyIdOf(parseEd25519PublicKey(query.JWT_PUBLIC_KEY!)));
    expect(MasterKey.parse(command.DATA_KEY_ENCRYPTION_KEY)).toHaveLength(32);
    expect(projector.NATS_URL).toBe('nats://nats:4222');
    expect(query.REDIS_URL).toBe('redis://redis:6379');

    const problems = productionProblems({
      secrets: { DATA_KEY_ENCRYPTION_KEY: command.DATA_KEY_ENCRYPTION_KEY },
      urls: Object.fromEntries([command, query, projector].map((env, i) => [`DATABASE_URL ${i}`, { url: env.DATABASE_URL, passwordRequired: true }])),
    });
    expect(problems).toHaveLength(4);
    for (const problem of problems) expect(problem).toMatch(/placeholder/);
  });
});
