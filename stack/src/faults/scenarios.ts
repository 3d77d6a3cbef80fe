import type { ManagedChild } from '../infra/child.js';
import type { OwnedDependency } from './dependencies.js';
import type { FaultProxy } from './fault-proxy.js';

export type DependencyName = 'postgres' | 'redis' | 'nats';
export type ServiceName = 'command' | 'query' | 'projector-0' | 'projector-1';

/** What a scenario may act on: the running services, the owned dependencies and the proxies in front of them. */
export interface FaultTarget {
  services: Record<ServiceName, ManagedChild>;
  dependencies: Record<DependencyName, OwnedDependency>;
  proxies: Record<DependencyName, FaultProxy>;
  /** Replaces the command service with one whose clock runs `skewMs` off (0: the machine's clock again). */
  restartCommandService(skewMs: number): Promise<void>;
}

/**
 * A fault as data: `inject` starts it, it lasts `holdMs` under traffic, `heal` ends it (for a SIGKILL of a service
 * the supervisor's restart is the healing, so `heal` does nothing). The recovery clock starts at `heal`.
 */
export interface Scenario {
  name: string;
  /** In the short profile (CI) too, or only in `--full`. */
  short: boolean;
  holdMs: number;
  /** The service this scenario ends on purpose; every other service must ride the fault out in the same process. */
  ends?: ServiceName;
  inject(target: FaultTarget): Promise<void>;
  heal(target: FaultTarget): Promise<void>;
}

const nothing = async (): Promise<void> => undefined;

/** JetStream's AckWait for the projector's consumers (projector/src/runner/event-feed.ts). */
const ACK_WAIT_MS = 30_000;
const FIVE_MINUTES = 5 * 60_000;

/** SIGKILL; the stack's supervisor (infra/child.ts) starts the service again. */
const killService = (service: ServiceName, short: boolean): Scenario => ({
  name: `SIGKILL ${service}`,
  short,
  holdMs: 0,
  ends: service,
  inject: async (target) => {
    const child = target.services[service].process;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  },
  heal: nothing,
});

const restartDependency = (dependency: DependencyName, short: boolean, holdMs: number): Scenario => ({
  name: `SIGKILL ${dependency}, restart after ${holdMs / 1000} s`,
  short,
  holdMs,
  inject: (target) => target.dependencies[dependency].kill(),
  heal: (target) => target.dependencies[dependency].start(),
});

const proxyFault = (dependency: DependencyName, fault: 'latency' | 'reset' | 'blackhole', short: boolean, holdMs: number): Scenario => ({
  name: fault === 'latency' ? `${dependency}: +200 ms latency for ${holdMs / 1000} s` : fault === 'reset' ? `${dependency}: connections reset for ${holdMs / 1000} s` : `${dependency}: black hole for ${holdMs / 1000} s`,
  short,
  holdMs,
  inject: async (target) => target.proxies[dependency].setMode(fault === 'latency' ? { kind: 'latency', ms: 200 } : { kind: fault }),
  heal: async (target) => target.proxies[dependency].setMode({ kind: 'pass' }),
});

/** A projector partition frozen (SIGSTOP) past AckWait: JetStream redelivers what it held unacknowledged. */
const pausedPastAckWait: Scenario = {
  name: `projector-1 paused past AckWait (${(ACK_WAIT_MS + 5_000) / 1000} s)`,
  short: false,
  holdMs: ACK_WAIT_MS + 5_000,
  inject: async (target) => void target.services['projector-1'].process.kill('SIGSTOP'),
  heal: async (target) => void target.services['projector-1'].process.kill('SIGCONT'),
};

const clockSkew = (skewMs: number, short: boolean, holdMs: number): Scenario => ({
  name: `command service clock ${skewMs > 0 ? '+' : '−'}${Math.abs(skewMs) / 60_000} min for ${holdMs / 1000} s`,
  short,
  holdMs,
  ends: 'command',
  inject: (target) => target.restartCommandService(skewMs),
  heal: (target) => target.restartCommandService(0),
});

/**
 * The whole matrix, in the order it runs. The short profile (CI) keeps one of each kind of fault and short holds;
 * `--full` runs every service, every dependency and every proxy mode with the durations.
 */
export function scenarios(full: boolean): Scenario[] {
  const hold = full ? 10_000 : 3_000;
  const all: Scenario[] = [
    killService('command', true),
    killService('query', false),
    killService('projector-0', true),
    killService('projector-1', false),
    restartDependency('postgres', true, full ? 5_000 : 2_000),
    restartDependency('nats', true, full ? 5_000 : 2_000),
    restartDependency('redis', true, full ? 5_000 : 2_000),
    ...(['postgres', 'nats', 'redis'] as const).flatMap((dependency) => [
      proxyFault(dependency, 'latency', false, hold),
      // Redis resets stay in the short profile: a cache invalidation refused by a reset must still arrive.
      proxyFault(dependency, 'reset', dependency !== 'nats', full ? 5_000 : 2_000),
      proxyFault(dependency, 'blackhole', dependency === 'nats', full ? 10_000 : 3_000),
    ]),
    pausedPastAckWait,
    clockSkew(FIVE_MINUTES, true, hold),
    clockSkew(-FIVE_MINUTES, false, hold),
  ];
  return full ? all : all.filter((scenario) => scenario.short);
}
