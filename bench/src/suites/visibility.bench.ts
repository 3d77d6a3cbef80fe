import { Agent, request as httpRequest } from 'node:http';
import { fileURLToPath } from 'node:url';
import { shopRequests, type StockAdjustmentRequest } from '@shop/client';
import { applySchema, connectNats, createPool, listenForNotifications } from '@shop/kernel';
import type { Measurement } from '../figures.js';
import { rssMeasurements, type RssSample } from '../memory.js';
import { withFreshDatabase } from '../postgres.js';
import { startNodeService, type RunningService } from '../processes.js';
import { BENCH_JWT_PRIVATE_KEY, createProducts, DEV_PASSWORD, login } from '../shop-api.js';
import { percentile } from '../stats.js';
import type { Suite, SuiteContext, SuiteResult } from '../suite.js';
import { healthzPerSecond } from './gauge.js';
import { measureBusFloor, type BusFloor } from './visibility/bus-floor.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS) || 3;
const PRODUCTS = 1_000;
const RATE_PER_SECOND = 500;
const WARMUP_SECONDS = 3;
const MEASURE_SECONDS = Number(process.env.BENCH_VISIBILITY_SECONDS) || 20;
const COMMAND_SERVICE = fileURLToPath(new URL('../../../command-service/dist/main.js', import.meta.url));
const PROJECTOR = fileURLToPath(new URL('../../../projector/dist/main.js', import.meta.url));
const NATS_URL = process.env.NATS_URL || 'nats://127.0.0.1:4222';
/** The catalog projection announces `catalog:<position>` on this channel when it commits (read-models). */
const PROJECTION_CHANNEL = 'shop_projection';

interface Sent {
  sentAt: number;
  token?: bigint;
  failed?: boolean;
  answeredAt?: number;
}

/**
 * For each command (sorted by its Consistency-Token), the first projection commit at or past it: visibility latency
 * is that commit's arrival minus the moment the command was sent. `commits` arrive in position order.
 */
export function visibilityLatencies(sent: readonly Sent[], commits: ReadonlyArray<{ position: bigint; at: number }>): { latencies: number[]; neverSeen: number } {
  const answered = sent.filter((s): s is Sent & { token: bigint } => s.token !== undefined).sort((a, b) => (a.token < b.token ? -1 : a.token > b.token ? 1 : 0));
  const latencies: number[] = [];
  let neverSeen = 0;
  let c = 0;
  for (const command of answered) {
    while (c < commits.length && commits[c]!.position < command.token) c++;
    if (c === commits.length) neverSeen++;
    else latencies.push(commits[c]!.at - command.sentAt);
  }
  return { latencies, neverSeen };
}

/** One POST over a keep-alive connection; answers the status and the Consistency-Token header. */
function post(agent: Agent, base: URL, path: string, token: string, body: string): Promise<{ status: number; consistency?: string }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      {
        agent,
        host: base.hostname,
        port: base.port,
        path,
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), authorization: `Bearer ${token}` },
      },
      (response) => {
        response.resume();
        response.on('end', () => {
          const header = response.headers['consistency-token'];
          resolve({ status: response.statusCode ?? 0, ...(typeof header === 'string' ? { consistency: header } : {}) });
        });
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

/**
 * Sends stock receipts at RATE_PER_SECOND for `seconds`, paced by the clock, not by answers: every tick sends
 * every command that is due by then (so a slow tick never lowers the rate), each stamped with its actual send time.
 */
async function paced(base: string, token: string, products: string[], seconds: number): Promise<Sent[]> {
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const url = new URL(base);
  // A StockAdjustmentRequest of @shop/client, serialised once: every receipt sends the same body.
  const receipt: StockAdjustmentRequest = { delta: 1, reason: 'bench delivery' };
  const body = JSON.stringify(receipt);
  const sent: Sent[] = [];
  const inFlight: Array<Promise<void>> = [];
  const started = performance.now();
  const total = seconds * RATE_PER_SECOND;
  try {
    while (sent.length < total) {
      const due = Math.min(total, Math.floor(((performance.now() - started) * RATE_PER_SECOND) / 1_000) + 1);
      while (sent.length < due) {
        const record: Sent = { sentAt: performance.now() };
        sent.push(record);
        const productId = products[Math.floor(Math.random() * products.length)]!;
        inFlight.push(
          post(agent, url, shopRequests.adjustStock(productId, receipt).path, token, body).then(
            ({ status, consistency }) => {
              record.answeredAt = performance.now();
              if (status === 200 && consistency) record.token = BigInt(consistency);
              else record.failed = true;
            },
            () => {
              record.failed = true;
            },
          ),
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    await Promise.all(inFlight);
  } finally {
    agent.destroy();
  }
  return sent;
}

interface Round {
  p50: number;
  p99: number;
  commandP50: number;
  commandP99: number;
  achievedRate: number;
  failed: number;
  neverSeen: number;
  floor: BusFloor;
  rss: { commandService: RssSample; projector: RssSample };
  healthz: number;
}

function oneRound(context: SuiteContext, round: number): Promise<Round> {
  return withFreshDatabase(context.databaseUrl, `shop_bench_${process.pid}_${400 + round}`, async (url) => {
    const services: RunningService[] = [];
    const streamName = `BENCHVIS_${process.pid}_${round}`;
    try {
      const pool = createPool(url, { max: 2 });
      await applySchema(pool);
      const commands = await startNodeService(COMMAND_SERVICE, {
        DATABASE_URL: url,
        JWT_PRIVATE_KEY: BENCH_JWT_PRIVATE_KEY,
        DEV_USERS_PASSWORD: DEV_PASSWORD,
        RATE_LIMIT_BURST: '1000000',
        RATE_LIMIT_PER_SECOND: '1000000',
      });
      services.push(commands);
      const projector = await startNodeService(PROJECTOR, {
        DATABASE_URL: url,
        NATS_URL,
        NATS_STREAM: streamName,
        NATS_SUBJECT_PREFIX: `benchvis${process.pid}r${round}`,
        REDIS_URL: '',
      });
      services.push(projector);
      const admin = await login(commands.base, 'admin@shop.local');
      const products = await createProducts(commands.base, admin, PRODUCTS, 16);

      const commits: Array<{ position: bigint; at: number }> = [];
      const listener = await listenForNotifications({
        connectionString: url,
        channel: PROJECTION_CHANNEL,
        onNotification: (payload) => {
          const [projection, position] = payload.split(':');
          if (projection === 'catalog' && position) commits.push({ position: BigInt(position), at: performance.now() });
        },
      });
      try {
        context.progress(`round ${round}/${ROUNDS}: ${PRODUCTS} products created; warming up ${WARMUP_SECONDS} s at ${RATE_PER_SECOND} commands/s`);
        await paced(commands.base, admin, products, WARMUP_SECONDS);
        const warm = { commandService: await commands.rss(), projector: await projector.rss() };
        const started = performance.now();
        const sent = await paced(commands.base, admin, products, MEASURE_SECONDS);
        const elapsed = (performance.now() - started) / 1_000;
        // Let the last commands' commits arrive.
        await new Promise((resolve) => setTimeout(resolve, 1_000));
        const { latencies, neverSeen } = visibilityLatencies(sent, commits);
        const rss = {
          commandService: { warm: warm.commandService, end: await commands.rss() },
          projector: { warm: warm.projector, end: await projector.rss() },
        };
        const healthz = await healthzPerSecond(commands.base);
        // The bus alone at the same rate, right after, with the services idle: the floor under the figure above.
        const floor = await measureBusFloor(
          NATS_URL,
          { streamName: `BENCHFLOOR_${process.pid}_${round}`, subjectPrefix: `benchfloor${process.pid}r${round}` },
          RATE_PER_SECOND,
          MEASURE_SECONDS,
        );
        const commandLatencies = sent.flatMap((s) => (s.answeredAt === undefined || s.failed ? [] : [s.answeredAt - s.sentAt]));
        const result: Round = {
          p50: percentile(latencies, 50),
          p99: percentile(latencies, 99),
          commandP50: percentile(commandLatencies, 50),
          commandP99: percentile(commandLatencies, 99),
          achievedRate: sent.length / elapsed,
          failed: sent.filter((s) => s.failed).length,
          neverSeen,
          floor,
          rss,
          healthz,
        };
        context.progress(
          `round ${round}/${ROUNDS}: visibility p50 ${result.p50.toFixed(1)} ms, p99 ${result.p99.toFixed(1)} ms (command answered p50 ${result.commandP50.toFixed(1)} ms, p99 ${result.commandP99.toFixed(1)} ms); ${Math.round(result.achievedRate)} commands/s sent, ${result.failed} failed, ${neverSeen} never seen; bus floor p50 ${floor.p50.toFixed(1)} ms, p99 ${floor.p99.toFixed(1)} ms (${floor.lost} lost); gauge ${Math.round(healthz)} GET /healthz per s`,
        );
        return result;
      } finally {
        await listener.close();
        await pool.end();
      }
    } finally {
      for (const service of services.reverse()) await service.stop();
      // The round's JetStream stream (the projector created it) goes with the round.
      const nats = await connectNats(NATS_URL, 'bench').catch(() => undefined);
      await nats?.jetstreamManager().then((jsm) => jsm.streams.delete(streamName)).catch(() => undefined);
      await nats?.close();
    }
  });
}

export const visibilitySuite: Suite = {
  name: 'visibility',
  description: `command → read-model visibility latency at ${RATE_PER_SECOND} commands/s (command service → store → relay → JetStream → catalog projection)`,
  async run(context: SuiteContext): Promise<SuiteResult> {
    const rounds: Round[] = [];
    for (let round = 1; round <= ROUNDS; round++) rounds.push(await oneRound(context, round));
    if (rounds.some((r) => r.failed > 0 || r.neverSeen > 0)) throw new Error('commands failed or never became visible: the bench refuses to report latencies');
    if (rounds.some((r) => r.floor.lost > 0)) throw new Error('the bus floor lost messages: the bench refuses to report it');
    const floorP50 = rounds.map((r) => r.floor.p50);
    const floorP99 = rounds.map((r) => r.floor.p99);
    const measurements: Measurement[] = [
      // The bus floor is the peer: ratio = ours / floor (target ≤ 3 at both).
      { name: 'e2e.visibility.p50', unit: 'ms', better: 'lower', ours: rounds.map((r) => r.p50), peer: floorP50 },
      { name: 'e2e.visibility.p99', unit: 'ms', better: 'lower', ours: rounds.map((r) => r.p99), peer: floorP99 },
      { name: 'bus.floor.p50', unit: 'ms', better: 'lower', ours: floorP50 },
      { name: 'bus.floor.p99', unit: 'ms', better: 'lower', ours: floorP99 },
      { name: 'e2e.command.p50', unit: 'ms', better: 'lower', ours: rounds.map((r) => r.commandP50) },
      { name: 'e2e.command.p99', unit: 'ms', better: 'lower', ours: rounds.map((r) => r.commandP99) },
      ...rssMeasurements('visibility', 'command-service', rounds.map((r) => r.rss.commandService)),
      ...rssMeasurements('visibility', 'projector', rounds.map((r) => r.rss.projector)),
    ];
    return {
      measurements,
      peer: 'the bus floor (`bus.floor.*`): a bare JetStream publish → pull-consume round trip at the same rate in the same round, with the relay\'s publish and the projector\'s consumer settings',
      gauge: { name: 'commands.gauge.healthz', unit: 'req/s', rounds: rounds.map((r) => r.healthz) },
      notes: [
        `${ROUNDS} rounds, each on a fresh database with the real command service and the real projector (relay + catalog projection fed by JetStream at ${NATS_URL}) in their own processes; ${PRODUCTS} products created through the API.`,
        `Then ${RATE_PER_SECOND} stock receipts per second (POST /api/products/:id/stock, random product, paced by the clock) for ${MEASURE_SECONDS} s after a ${WARMUP_SECONDS} s warm-up; achieved rates: ${rounds.map((r) => Math.round(r.achievedRate)).join(' · ')} commands/s.`,
        'e2e.visibility: from sending the command to the catalog projection\'s commit that includes its Consistency-Token position (its NOTIFY, received by the bench over LISTEN). e2e.command: the HTTP answer of the command itself.',
        'Load generator, command service, projector, NATS and PostgreSQL share this machine\'s 2 cores.',
        `bus.floor: in each round, after the visibility run (services idle), ${RATE_PER_SECOND} messages/s for ${MEASURE_SECONDS} s through a JetStream stream of its own, published as the relay publishes (encoded integration events of a stock receipt, msgID = event id, 5 s ack timeout) and taken by a durable pull consumer set up as the projector's event feed (explicit acks, max_ack_pending 10,000, consume with max_messages 1,000, batches of up to 500), in the benchmark process; from sending a message to the consumer loop taking it. e2e.visibility's ratio is against it (target ≤ 3 at p50 and p99).`,
        'visibility.<service>.rss: resident memory (VmRSS) of the command service and the projector after the warm-up and after the measured run; growth = end / warm (target ≤ 1.10). The speed gauge (GET /healthz of the command service, 5 s) is read after each run.',
        ...(MEASURE_SECONDS !== 20 || ROUNDS !== 3
          ? [`BENCH_VISIBILITY_SECONDS / BENCH_ROUNDS overrode the run to ${ROUNDS} rounds of ${MEASURE_SECONDS} s: a check of the suite, never figures to keep.`]
          : []),
      ],
    };
  },
};
