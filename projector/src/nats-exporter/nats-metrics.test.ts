import { describe, expect, it } from '@jest/globals';
import { Jsz, renderNatsMetrics, Varz } from './nats-metrics.js';

// Trimmed from what nats-server 2.9.10 answered on /varz and /jsz?consumers=true (one stream, one durable consumer
// with 5 messages not yet delivered); the fields the exporter does not read were dropped, a few kept to show they
// are ignored.
const varz = Varz.parse({
  server_id: 'NDSTAXY364ZPEM3BONJB7THYJPW7XJT7KGDZDSHAP6JLVCFIOLYEBUCQ',
  server_name: 'nats-1',
  version: '2.9.10',
  mem: 13426688,
  cpu: 1,
  connections: 3,
  total_connections: 9,
  in_msgs: 8,
  out_msgs: 8,
  in_bytes: 167,
  out_bytes: 1696,
  slow_consumers: 0,
  subscriptions: 52,
});
const jsz = Jsz.parse({
  streams: 1,
  consumers: 1,
  messages: 5,
  bytes: 315,
  // The server sends 18446744073709551615 here, above 2^53: JSON.parse rounds it; the exporter never reads it.
  reserved_memory: 2 ** 64,
  account_details: [
    {
      name: '$G',
      stream_detail: [
        {
          name: 'SHOP_EVENTS',
          state: { messages: 5, bytes: 315, first_seq: 1, last_seq: 5, num_subjects: 1, consumer_count: 1 },
          consumer_detail: [
            {
              stream_name: 'SHOP_EVENTS',
              name: 'orders-view',
              delivered: { consumer_seq: 2, stream_seq: 2 },
              ack_floor: { consumer_seq: 1, stream_seq: 1 },
              num_ack_pending: 1,
              num_redelivered: 0,
              num_waiting: 1,
              num_pending: 3,
            },
          ],
        },
      ],
    },
  ],
});

const sampleLines = (text: string): string[] => text.split('\n').filter((line) => line !== '' && !line.startsWith('#'));

describe('renderNatsMetrics', () => {
  it('reports each JetStream consumer\'s pending, ack-pending and delivered sequence, labelled by account, stream and consumer', () => {
    const lines = sampleLines(renderNatsMetrics({ up: true, varz, jsz }));
    const consumer = 'account="$G",stream="SHOP_EVENTS",consumer="orders-view"';
    expect(lines).toEqual(
      expect.arrayContaining([
        `nats_consumer_num_pending{${consumer}} 3`,
        `nats_consumer_num_ack_pending{${consumer}} 1`,
        `nats_consumer_num_redelivered{${consumer}} 0`,
        `nats_consumer_num_waiting{${consumer}} 1`,
        `nats_consumer_delivered_stream_seq{${consumer}} 2`,
        `nats_consumer_ack_floor_stream_seq{${consumer}} 1`,
        'nats_stream_messages{account="$G",stream="SHOP_EVENTS"} 5',
        'nats_stream_last_seq{account="$G",stream="SHOP_EVENTS"} 5',
      ]),
    );
  });

  it('reports the server\'s counters and gauges and nats_up 1 when the monitoring port answered', () => {
    const lines = sampleLines(renderNatsMetrics({ up: true, varz, jsz }));
    expect(lines).toEqual(
      expect.arrayContaining([
        'nats_up 1',
        'nats_server_info{server_name="nats-1",version="2.9.10"} 1',
        'nats_server_connections 3',
        'nats_server_subscriptions 52',
        'nats_server_in_msgs_total 8',
        'nats_server_out_bytes_total 1696',
        'nats_server_mem_bytes 13426688',
        'nats_jetstream_streams 1',
        'nats_jetstream_messages 5',
      ]),
    );
  });

  it('reports only nats_up 0 when the monitoring port did not answer', () => {
    expect(sampleLines(renderNatsMetrics({ up: false }))).toEqual(['nats_up 0']);
  });

  it('declares every family once, with HELP and TYPE before its samples', () => {
    const text = renderNatsMetrics({ up: true, varz, jsz });
    const types = text.split('\n').filter((line) => line.startsWith('# TYPE '));
    const names = types.map((line) => line.split(' ')[2]);
    expect(new Set(names).size).toBe(names.length);
    for (const line of sampleLines(text)) {
      const name = /^[a-z_]+/.exec(line)![0];
      expect(names).toContain(name);
    }
    expect(types).toContain('# TYPE nats_server_in_msgs_total counter');
    expect(types).toContain('# TYPE nats_consumer_num_pending gauge');
  });

  it('escapes quotes, backslashes and newlines in label values', () => {
    const odd = Jsz.parse({
      ...jsz,
      account_details: [{ name: 'a"b\\c\nd', stream_detail: [{ ...jsz.account_details[0]!.stream_detail[0]!, consumer_detail: [] }] }],
    });
    expect(renderNatsMetrics({ up: true, varz, jsz: odd })).toContain('nats_stream_messages{account="a\\"b\\\\c\\nd",stream="SHOP_EVENTS"} 5');
  });

  it('refuses a /jsz document whose consumer lacks its pending count', () => {
    const broken = { ...jsz, account_details: [{ name: '$G', stream_detail: [{ ...jsz.account_details[0]!.stream_detail[0]!, consumer_detail: [{ name: 'x' }] }] }] };
    expect(Jsz.safeParse(broken).success).toBe(false);
  });
});
