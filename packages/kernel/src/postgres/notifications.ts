import pg from 'pg';

export interface NotificationListener {
  close(): Promise<void>;
}

/**
 * LISTENs on one channel over a dedicated connection and reconnects after failures, calling `onReconnect`
 * so the caller can re-read whatever it may have missed while disconnected (notifications are not queued).
 */
export async function listenForNotifications(options: {
  connectionString: string;
  channel: string;
  onNotification: (payload: string) => void;
  onReconnect?: () => void;
  onError?: (error: Error) => void;
}): Promise<NotificationListener> {
  let client: pg.Client | undefined;
  let closed = false;
  let retryTimer: NodeJS.Timeout | undefined;

  const open = async (): Promise<void> => {
    const next = new pg.Client({ connectionString: options.connectionString, application_name: `listen:${options.channel}` });
    next.on('notification', (message) => {
      if (message.channel === options.channel) options.onNotification(message.payload ?? '');
    });
    next.on('error', (error) => {
      options.onError?.(error);
      scheduleReconnect();
    });
    await next.connect();
    await next.query(`LISTEN "${options.channel.replaceAll('"', '""')}"`);
    client = next;
  };

  const scheduleReconnect = (): void => {
    if (closed || retryTimer) return;
    const dead = client;
    client = undefined;
    dead?.end().catch(() => undefined);
    retryTimer = setTimeout(() => {
      retryTimer = undefined;
      open().then(
        () => options.onReconnect?.(),
        (error: unknown) => {
          options.onError?.(error as Error);
          scheduleReconnect();
        },
      );
    }, 1_000);
  };

  await open();
  return {
    async close() {
      closed = true;
      if (retryTimer) clearTimeout(retryTimer);
      await client?.end().catch(() => undefined);
    },
  };
}
