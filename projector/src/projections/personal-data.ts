import type { PersonalDataCodec } from '@shop/kernel';
import type { Projection } from './projection.js';

/**
 * The projection reading personal fields as plaintext (or `[erased]` once the customer's key is shredded). Events
 * reach the projector as stored, from JetStream or the store, with their personal fields encrypted; they are
 * decrypted here, inside the projection's apply, so an event whose ciphertext does not authenticate fails like any
 * other bad event: retried, then dead-lettered, while the rest of the batch is applied.
 */
export function decryptingPersonalData<P extends Projection>(projection: P, codec: PersonalDataCodec): P {
  return {
    ...projection,
    apply: async (tx, event) => {
      const [decoded] = await codec.decode([event]);
      return projection.apply(tx, decoded!);
    },
    ...(projection.applyNewer ? { applyNewer: async (tx, events) => projection.applyNewer!(tx, await codec.decode(events)) } : {}),
  };
}
