// The house rules for the Kubernetes manifests (infra/k8s), checked on what `kubectl kustomize` builds: pure functions
// from the built objects to a list of problems, one line each, naming the object. kustomize.test.ts runs them on
// every overlay; manifest-rules.test.ts shows each one catching what it is for.
import { ConfigMap, Namespace, PersistentVolumeClaim, Secret, Service } from 'kubernetes-models/v1';
import { Deployment, StatefulSet } from 'kubernetes-models/apps/v1';
import { CronJob, Job } from 'kubernetes-models/batch/v1';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';

/** The parts of a built object the rules read; the schemas check the rest. */
export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  spec?: Record<string, unknown>;
  data?: Record<string, string>;
}

interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: {
    secretKeyRef?: { name: string; key: string; optional?: boolean };
    configMapKeyRef?: { name: string; key: string; optional?: boolean };
  };
}
interface Container {
  name: string;
  image?: string;
  env?: EnvVar[];
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  startupProbe?: unknown;
  livenessProbe?: unknown;
  readinessProbe?: unknown;
  securityContext?: {
    runAsNonRoot?: boolean;
    allowPrivilegeEscalation?: boolean;
    readOnlyRootFilesystem?: boolean;
    capabilities?: { drop?: string[] };
    seccompProfile?: { type?: string };
  };
}
interface PodSpec {
  containers: Container[];
  initContainers?: Container[];
  securityContext?: { runAsNonRoot?: boolean; runAsUser?: number; seccompProfile?: { type?: string } };
  volumes?: Array<{
    name: string;
    secret?: { secretName: string; optional?: boolean };
    configMap?: { name: string; optional?: boolean };
    persistentVolumeClaim?: { claimName: string };
  }>;
}
interface PodTemplate {
  metadata?: { labels?: Record<string, string> };
  spec: PodSpec;
}

/** The classes of kubernetes-models whose `validate()` checks an object against the official OpenAPI schemas. */
const MODELS: Record<string, new (data: never) => { validate(): void }> = {
  'v1/Namespace': Namespace,
  'v1/Service': Service,
  'v1/ConfigMap': ConfigMap,
  'v1/Secret': Secret,
  'v1/PersistentVolumeClaim': PersistentVolumeClaim,
  'apps/v1/Deployment': Deployment,
  'apps/v1/StatefulSet': StatefulSet,
  'batch/v1/Job': Job,
  'batch/v1/CronJob': CronJob,
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'networking.k8s.io/v1/NetworkPolicy': NetworkPolicy,
};

const nameOf = (object: K8sObject): string => `${object.kind}/${object.metadata.name}`;

/** Every object against the Kubernetes schema of its apiVersion and kind; a kind the map does not know is a problem. */
export function schemaProblems(objects: readonly K8sObject[]): string[] {
  const problems: string[] = [];
  for (const object of objects) {
    const Model = MODELS[`${object.apiVersion}/${object.kind}`];
    if (!Model) {
      problems.push(`${nameOf(object)}: ${object.apiVersion} ${object.kind} has no schema here (add it to MODELS in manifest-rules.ts)`);
      continue;
    }
    try {
      new Model(object as never).validate();
    } catch (error) {
      problems.push(`${nameOf(object)}: ${(error as Error).message}`);
    }
  }
  return problems;
}

/** The pod template of a workload, or undefined for objects that run no pods. */
export function podTemplateOf(object: K8sObject): PodTemplate | undefined {
  const spec = object.spec as { template?: PodTemplate; jobTemplate?: { spec: { template: PodTemplate } } } | undefined;
  if (object.kind === 'CronJob') return spec?.jobTemplate?.spec.template;
  if (['Deployment', 'StatefulSet', 'Job'].includes(object.kind)) return spec?.template;
  return undefined;
}

const LONG_RUNNING = new Set(['Deployment', 'StatefulSet']);

/**
 * Every container: CPU and memory requested and limited; non-root, no privilege escalation, every capability
 * dropped, a read-only root file system and the runtime's seccomp profile (Pod Security "restricted", and compose's
 * `read_only`, `cap_drop: [ALL]`, `no-new-privileges`). Long-running ones also: startup, liveness and readiness probes.
 */
export function containerProblems(objects: readonly K8sObject[]): string[] {
  const problems: string[] = [];
  for (const object of objects) {
    const template = podTemplateOf(object);
    if (!template) continue;
    const pod = template.spec;
    for (const container of [...(pod.initContainers ?? []), ...pod.containers]) {
      const where = `${nameOf(object)} container ${container.name}`;
      for (const kind of ['requests', 'limits'] as const) {
        for (const resource of ['cpu', 'memory']) {
          if (!container.resources?.[kind]?.[resource]) problems.push(`${where}: no ${resource} in resources.${kind}`);
        }
      }
      const security = container.securityContext ?? {};
      if (!(security.runAsNonRoot ?? pod.securityContext?.runAsNonRoot)) problems.push(`${where}: runAsNonRoot is not true`);
      if ((security.seccompProfile?.type ?? pod.securityContext?.seccompProfile?.type) === undefined) problems.push(`${where}: no seccompProfile`);
      if (security.allowPrivilegeEscalation !== false) problems.push(`${where}: allowPrivilegeEscalation is not false`);
      if (security.readOnlyRootFilesystem !== true) problems.push(`${where}: readOnlyRootFilesystem is not true`);
      if (!security.capabilities?.drop?.includes('ALL')) problems.push(`${where}: capabilities are not all dropped`);
      if (LONG_RUNNING.has(object.kind) && !pod.initContainers?.includes(container)) {
        for (const probe of ['startupProbe', 'livenessProbe', 'readinessProbe'] as const) {
          if (!container[probe]) problems.push(`${where}: no ${probe}`);
        }
      }
    }
  }
  return problems;
}

const selects = (selector: Record<string, string> | undefined, labels: Record<string, string> | undefined): boolean =>
  selector !== undefined && Object.keys(selector).length > 0 && Object.entries(selector).every(([key, value]) => labels?.[key] === value);

/**
 * Every Deployment and StatefulSet has a PodDisruptionBudget selecting its pods; every HPA scales a Deployment of
 * the build, which then names no replica count of its own (each apply would reset what the HPA chose).
 */
export function availabilityProblems(objects: readonly K8sObject[]): string[] {
  const problems: string[] = [];
  const budgets = objects.filter((o) => o.kind === 'PodDisruptionBudget');
  for (const workload of objects.filter((o) => LONG_RUNNING.has(o.kind))) {
    const labels = podTemplateOf(workload)?.metadata?.labels;
    const covered = budgets.some((budget) => selects((budget.spec?.selector as { matchLabels?: Record<string, string> } | undefined)?.matchLabels, labels));
    if (!covered) problems.push(`${nameOf(workload)}: no PodDisruptionBudget selects its pods`);
  }
  for (const hpa of objects.filter((o) => o.kind === 'HorizontalPodAutoscaler')) {
    const target = hpa.spec?.scaleTargetRef as { kind: string; name: string };
    const workload = objects.find((o) => o.kind === target.kind && o.metadata.name === target.name);
    if (!workload) problems.push(`${nameOf(hpa)}: scales ${target.kind}/${target.name}, which the build does not have`);
    else if (workload.spec?.replicas !== undefined) problems.push(`${nameOf(workload)}: names replicas although ${nameOf(hpa)} owns them`);
  }
  return problems;
}

const envValue = (container: Container, name: string): string | undefined => container.env?.find((e) => e.name === name)?.value;

/**
 * The projector StatefulSet: each pod runs the partition of its ordinal, so PROJECTION_PARTITIONS must equal its
 * replicas (fewer partitions: a pod refuses to start; more: partitions nobody runs, and readers wait forever).
 */
export function projectorProblems(objects: readonly K8sObject[]): string[] {
  const projector = objects.find((o) => o.kind === 'StatefulSet' && o.metadata.name === 'projector');
  if (!projector) return ['StatefulSet/projector: missing'];
  const container = podTemplateOf(projector)?.spec.containers.find((c) => c.name === 'projector');
  if (!container) return ['StatefulSet/projector: no container named projector'];
  const problems: string[] = [];
  const replicas = (projector.spec?.replicas as number | undefined) ?? 1;
  const partitions = envValue(container, 'PROJECTION_PARTITIONS');
  if (partitions !== String(replicas)) problems.push(`StatefulSet/projector: PROJECTION_PARTITIONS is ${partitions ?? 'unset'} but replicas is ${replicas}`);
  if (envValue(container, 'PROJECTOR_PARTITIONS') !== 'ordinal') problems.push('StatefulSet/projector: PROJECTOR_PARTITIONS is not `ordinal`');
  return problems;
}

/**
 * What the pods refer to is there: every `$(VAR)` in an env value names a variable defined before it in the same
 * container (Kubernetes leaves an unknown one as literal text: a DATABASE_URL with `$(PASWORD)` in it); every
 * Secret, ConfigMap and claim a pod needs is in the build (with the key it reads), or is one the overlay expects to
 * exist already (`external`). Optional ones (`optional: true`) may be missing.
 */
export function referenceProblems(objects: readonly K8sObject[], external: ReadonlySet<string>): string[] {
  const problems: string[] = [];
  const find = (kind: string, name: string): K8sObject | undefined => objects.find((o) => o.kind === kind && o.metadata.name === name);
  const referTo = (where: string, kind: string, name: string, key?: string, optional?: boolean): void => {
    const object = find(kind, name);
    if (!object) {
      if (!external.has(`${kind}/${name}`)) problems.push(`${where}: ${kind}/${name} is neither in the build nor expected to exist`);
      return;
    }
    if (key !== undefined && !optional && object.data?.[key] === undefined) problems.push(`${where}: ${kind}/${name} has no key ${key}`);
  };
  for (const object of objects) {
    const pod = podTemplateOf(object)?.spec;
    if (!pod) continue;
    for (const container of [...(pod.initContainers ?? []), ...pod.containers]) {
      const where = `${nameOf(object)} container ${container.name}`;
      const defined = new Set<string>();
      for (const variable of container.env ?? []) {
        for (const [, used] of (variable.value ?? '').matchAll(/\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g)) {
          if (!defined.has(used!)) problems.push(`${where}: ${variable.name} uses $(${used}), which is not defined before it`);
        }
        const secret = variable.valueFrom?.secretKeyRef;
        if (secret) referTo(`${where} ${variable.name}`, 'Secret', secret.name, secret.key, secret.optional);
        const config = variable.valueFrom?.configMapKeyRef;
        if (config) referTo(`${where} ${variable.name}`, 'ConfigMap', config.name, config.key, config.optional);
        defined.add(variable.name);
      }
    }
    for (const volume of pod.volumes ?? []) {
      const where = `${nameOf(object)} volume ${volume.name}`;
      if (volume.secret && !volume.secret.optional) referTo(where, 'Secret', volume.secret.secretName);
      if (volume.configMap && !volume.configMap.optional) referTo(where, 'ConfigMap', volume.configMap.name);
      if (volume.persistentVolumeClaim) referTo(where, 'PersistentVolumeClaim', volume.persistentVolumeClaim.claimName);
    }
  }
  return problems;
}

/** Every image names its tag, never `latest`; `forbiddenTags` are tags an overlay must not ship (production: `local`). */
export function imageProblems(objects: readonly K8sObject[], forbiddenTags: readonly string[] = []): string[] {
  const problems: string[] = [];
  for (const object of objects) {
    const pod = podTemplateOf(object)?.spec;
    for (const container of pod ? [...(pod.initContainers ?? []), ...pod.containers] : []) {
      const tag = /:([^/:@]+)$/.exec(container.image ?? '')?.[1];
      if (!tag || tag === 'latest' || forbiddenTags.includes(tag)) problems.push(`${nameOf(object)} container ${container.name}: image ${container.image ?? '(none)'} has no release tag`);
    }
  }
  return problems;
}
