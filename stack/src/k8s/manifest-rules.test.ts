import { describe, expect, it } from '@jest/globals';
import { availabilityProblems, containerProblems, imageProblems, projectorProblems, referenceProblems, schemaProblems, type K8sObject } from './manifest-rules.js';

/** A workload that passes every rule; each test breaks one thing. */
function workload(kind: 'Deployment' | 'StatefulSet', name: string, env: Array<{ name: string; value?: string }> = []): K8sObject {
  return {
    apiVersion: 'apps/v1',
    kind,
    metadata: { name },
    spec: {
      ...(kind === 'StatefulSet' ? { serviceName: name, replicas: 2 } : {}),
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: {
          securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
          containers: [
            {
              name,
              image: `shop/${name}:1.0.0`,
              env,
              resources: { requests: { cpu: '100m', memory: '64Mi' }, limits: { cpu: '1', memory: '256Mi' } },
              startupProbe: { httpGet: { path: '/healthz', port: 80 } },
              livenessProbe: { httpGet: { path: '/healthz', port: 80 } },
              readinessProbe: { httpGet: { path: '/readyz', port: 80 } },
              securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
            },
          ],
        },
      },
    },
  };
}
const budget = (name: string): K8sObject => ({
  apiVersion: 'policy/v1',
  kind: 'PodDisruptionBudget',
  metadata: { name },
  spec: { maxUnavailable: 1, selector: { matchLabels: { app: name } } },
});
type Mutable = { spec: { template: { spec: { containers: Array<Record<string, unknown>> } }; replicas?: number } };
const containerOf = (object: K8sObject): Record<string, unknown> => (object as unknown as Mutable).spec.template.spec.containers[0]!;

describe('the manifest rules', () => {
  it('accept a workload that follows them all', () => {
    const api = workload('Deployment', 'api');
    expect([...schemaProblems([api]), ...containerProblems([api]), ...availabilityProblems([api, budget('api')])]).toEqual([]);
  });

  it('find a schema error and a kind without a schema', () => {
    const api = workload('Deployment', 'api');
    (api.spec as { replicas: unknown }).replicas = 'two';
    expect(schemaProblems([api])[0]).toMatch(/^Deployment\/api: .*replicas must be integer/);
    expect(schemaProblems([{ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } }])[0]).toMatch(/has no schema here/);
  });

  it('find a container without a probe, a limit or the hardened context', () => {
    const api = workload('Deployment', 'api');
    delete containerOf(api).readinessProbe;
    (containerOf(api).resources as { limits: Record<string, string> }).limits = { cpu: '1' };
    (containerOf(api).securityContext as Record<string, unknown>).readOnlyRootFilesystem = false;
    expect(containerProblems([api])).toEqual([
      'Deployment/api container api: no memory in resources.limits',
      'Deployment/api container api: readOnlyRootFilesystem is not true',
      'Deployment/api container api: no readinessProbe',
    ]);
  });

  it('find a Deployment without a disruption budget, and one whose replicas an HPA owns', () => {
    const api = workload('Deployment', 'api');
    (api as unknown as Mutable).spec.replicas = 2;
    const hpa: K8sObject = { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'api' }, spec: { scaleTargetRef: { kind: 'Deployment', name: 'api' } } };
    expect(availabilityProblems([api, hpa])).toEqual(['Deployment/api: no PodDisruptionBudget selects its pods', 'Deployment/api: names replicas although HorizontalPodAutoscaler/api owns them']);
  });

  it('find projector partitions that differ from its replicas', () => {
    const projector = workload('StatefulSet', 'projector', [
      { name: 'PROJECTION_PARTITIONS', value: '3' },
      { name: 'PROJECTOR_PARTITIONS', value: 'ordinal' },
    ]);
    expect(projectorProblems([projector])).toEqual(['StatefulSet/projector: PROJECTION_PARTITIONS is 3 but replicas is 2']);
  });

  it('find a $(VAR) used before it is defined, a missing Secret key, and an unexpected missing Secret', () => {
    const api = workload('Deployment', 'api', [{ name: 'DATABASE_URL', value: 'postgres://u:$(PASSWORD)@db/shop' }]);
    containerOf(api).env = [
      { name: 'DATABASE_URL', value: 'postgres://u:$(PASSWORD)@db/shop' },
      { name: 'PASSWORD', valueFrom: { secretKeyRef: { name: 'creds', key: 'PASSWORD' } } },
      { name: 'TOKEN', valueFrom: { secretKeyRef: { name: 'elsewhere', key: 'TOKEN' } } },
    ];
    const creds: K8sObject = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'creds' }, data: { OTHER: 'eA==' } };
    expect(referenceProblems([api, creds], new Set())).toEqual([
      'Deployment/api container api: DATABASE_URL uses $(PASSWORD), which is not defined before it',
      'Deployment/api container api PASSWORD: Secret/creds has no key PASSWORD',
      'Deployment/api container api TOKEN: Secret/elsewhere is neither in the build nor expected to exist',
    ]);
    expect(referenceProblems([api, creds], new Set(['Secret/elsewhere']))).toHaveLength(2);
  });

  it('find an image without a release tag', () => {
    const api = workload('Deployment', 'api');
    containerOf(api).image = 'shop/api:local';
    expect(imageProblems([api])).toEqual([]);
    expect(imageProblems([api], ['local'])).toEqual(['Deployment/api container api: image shop/api:local has no release tag']);
    containerOf(api).image = 'shop/api';
    expect(imageProblems([api])).toHaveLength(1);
  });
});
