import { loadConfig } from '@shop/service-kit';
import { StackConfig } from './config.js';
import { startStack } from './stack.js';

// `npm start`: the whole shop on this machine. Progress lines go to stdout; service logs to SHOP_DATA_DIR/logs.
const say = (line: string): void => console.log(`[shop] ${line}`);
const config = loadConfig(StackConfig);
const started = Date.now();

try {
  const stack = await startStack(config, say);
  say(`gateway: ${stack.gateway}; postgres: ${new URL(stack.databaseUrl).host}; redis: ${stack.redisUrl ?? 'none (in-process cache)'}; nats: ${stack.natsUrl ?? 'none (store feed)'}; logs: ${config.SHOP_DATA_DIR}/logs`);
  if (stack.prometheusUrl) say(`Prometheus: ${stack.prometheusUrl}`);
  say(`Shop is running (ready in ${((Date.now() - started) / 1000).toFixed(1)} s): open ${stack.url} — sign in as admin@shop.local. Ctrl-C stops everything.`);

  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    say(`${signal}: stopping…`);
    stack.stop().then(
      () => {
        say('stopped');
        process.exit(0);
      },
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
} catch (error) {
  console.error(`[shop] could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
