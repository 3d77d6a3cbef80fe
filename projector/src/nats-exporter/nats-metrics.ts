import { z } from 'zod';

// The NATS server's monitoring port answers JSON (/varz, /jsz); Prometheus wants its text format. Debian packages no
// NATS exporter, so this translation is ours: pure, so the exporter's HTTP part is only fetch-and-serve.

const count = z.number().nonnegative();

/** The fields of GET /varz that are exported (others are ignored). */
export const Varz = z.object({
  server_name: z.string(),
  version: z.string(),
  connections: count,
  subscriptions: count,
  slow_consumers: count,
  in_msgs: count,
  out_msgs: count,
  in_bytes: count,
  out_bytes: count,
  mem: count,
  cpu: count,
});
export type Varz = z.infer<typeof Varz>;

const SequencePair = z.object({ consumer_seq: count, stream_seq: count });

const ConsumerDetail = z.object({
  stream_name: z.string(),
  name: z.string(),
  num_pending: count,
  num_ack_pending: count,
  num_redelivered: count,
  num_waiting: count,
  delivered: SequencePair,
  ack_floor: SequencePair,
});

const StreamDetail = z.object({
  name: z.string(),
  state: z.object({ messages: count, bytes: count, first_seq: count, last_seq: count, consumer_count: count }),
  consumer_detail: z.array(ConsumerDetail).default([]),
});

/** GET /jsz?consumers=true (the consumers imply the accounts and their streams). */
export const Jsz = z.object({
  streams: count,
  consumers: count,
  messages: count,
  bytes: count,
  account_details: z.array(z.object({ name: z.string(), stream_detail: z.array(StreamDetail).default([]) })).default([]),
});
export type Jsz = z.infer<typeof Jsz>;

/** What one scrape of the monitoring port gave: both documents, or nothing (the server did not answer). */
export type NatsScrape = { up: true; varz: Varz; jsz: Jsz } | { up: false };

type Labels = Record<string, string>;
interface Family {
  name: string;
  help: string;
  type: 'gauge' | 'counter';
  samples: { labels: Labels; value: number }[];
}

// Label values escape backslash, double quote and newline (the text format's only escapes).
const escapeLabel = (value: string): string => value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');

const renderLabels = (labels: Labels): string => {
  const pairs = Object.entries(labels).map(([key, value]) => `${key}="${escapeLabel(value)}"`);
  return pairs.length === 0 ? '' : `{${pairs.join(',')}}`;
};

const renderFamily = (family: Family): string =>
  [
    `# HELP ${family.name} ${family.help}`,
    `# TYPE ${family.name} ${family.type}`,
    ...family.samples.map((sample) => `${family.name}${renderLabels(sample.labels)} ${sample.value}`),
  ].join('\n');

const one = (name: string, help: string, type: Family['type'], value: number): Family => ({ name, help, type, samples: [{ labels: {}, value }] });

/**
 * The Prometheus text for one scrape. `nats_up` is 0 when the monitoring port did not answer (then nothing else is
 * reported), like the `*_up` of the other exporters, so one alert rule covers every dependency.
 */
export function renderNatsMetrics(scrape: NatsScrape): string {
  const families: Family[] = [one('nats_up', 'Whether the NATS monitoring port answered the last scrape', 'gauge', scrape.up ? 1 : 0)];
  if (scrape.up) {
    const { varz, jsz } = scrape;
    families.push(
      {
        name: 'nats_server_info',
        help: 'The NATS server answering (always 1)',
        type: 'gauge',
        samples: [{ labels: { server_name: varz.server_name, version: varz.version }, value: 1 }],
      },
      one('nats_server_connections', 'Client connections open now', 'gauge', varz.connections),
      one('nats_server_subscriptions', 'Subscriptions now', 'gauge', varz.subscriptions),
      one('nats_server_slow_consumers_total', 'Clients the server dropped as slow consumers', 'counter', varz.slow_consumers),
      one('nats_server_in_msgs_total', 'Messages received', 'counter', varz.in_msgs),
      one('nats_server_out_msgs_total', 'Messages sent', 'counter', varz.out_msgs),
      one('nats_server_in_bytes_total', 'Bytes received', 'counter', varz.in_bytes),
      one('nats_server_out_bytes_total', 'Bytes sent', 'counter', varz.out_bytes),
      one('nats_server_mem_bytes', 'Resident memory of the server', 'gauge', varz.mem),
      one('nats_server_cpu_percent', 'CPU use of the server (percent of one core)', 'gauge', varz.cpu),
      one('nats_jetstream_streams', 'JetStream streams', 'gauge', jsz.streams),
      one('nats_jetstream_consumers', 'JetStream consumers', 'gauge', jsz.consumers),
      one('nats_jetstream_messages', 'Messages stored in JetStream', 'gauge', jsz.messages),
      one('nats_jetstream_bytes', 'Bytes stored in JetStream', 'gauge', jsz.bytes),
    );
    const streams = jsz.account_details.flatMap((account) => account.stream_detail.map((stream) => ({ account: account.name, stream })));
    const consumers = streams.flatMap(({ account, stream }) => stream.consumer_detail.map((consumer) => ({ account, consumer })));
    const perStream = (name: string, help: string, pick: (stream: z.infer<typeof StreamDetail>) => number): Family => ({
      name,
      help,
      type: 'gauge',
      samples: streams.map(({ account, stream }) => ({ labels: { account, stream: stream.name }, value: pick(stream) })),
    });
    const perConsumer = (name: string, help: string, pick: (consumer: z.infer<typeof ConsumerDetail>) => number): Family => ({
      name,
      help,
      type: 'gauge',
      samples: consumers.map(({ account, consumer }) => ({
        labels: { account, stream: consumer.stream_name, consumer: consumer.name },
        value: pick(consumer),
      })),
    });
    families.push(
      perStream('nats_stream_messages', 'Messages in the stream', (s) => s.state.messages),
      perStream('nats_stream_bytes', 'Bytes in the stream', (s) => s.state.bytes),
      perStream('nats_stream_last_seq', 'Last sequence stored in the stream', (s) => s.state.last_seq),
      perConsumer('nats_consumer_num_pending', 'Messages in the stream not yet delivered to the consumer', (c) => c.num_pending),
      perConsumer('nats_consumer_num_ack_pending', 'Messages delivered and not yet acknowledged', (c) => c.num_ack_pending),
      perConsumer('nats_consumer_num_redelivered', 'Messages delivered more than once (now unacknowledged)', (c) => c.num_redelivered),
      perConsumer('nats_consumer_num_waiting', 'Pull requests waiting for messages', (c) => c.num_waiting),
      perConsumer('nats_consumer_delivered_stream_seq', 'Last stream sequence delivered to the consumer', (c) => c.delivered.stream_seq),
      perConsumer('nats_consumer_ack_floor_stream_seq', 'Stream sequence below which every message is acknowledged', (c) => c.ack_floor.stream_seq),
    );
  }
  // A family without samples (no stream yet) keeps its HELP and TYPE: Prometheus accepts that, and it documents it.
  return `${families.map(renderFamily).join('\n')}\n`;
}
