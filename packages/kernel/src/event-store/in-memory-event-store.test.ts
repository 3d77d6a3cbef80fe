import { eventStoreContract } from './event-store.contract.js';
import { InMemoryEventStore } from './in-memory-event-store.js';

eventStoreContract('in-memory', async (upcasters) => ({ store: new InMemoryEventStore({ upcasters }), dispose: async () => undefined }), {
  densePositions: true,
});
