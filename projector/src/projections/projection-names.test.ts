import { describe, expect, it } from '@jest/globals';
import { ANALYTICS_PROJECTION, PROJECTION_NAMES } from '@shop/read-models';
import { PROJECTIONS } from './index.js';

describe('the projection names the services validate against (@shop/read-models PROJECTION_NAMES)', () => {
  it('are exactly the projections the projector runs: its Postgres ones and the Elasticsearch analytics one', () => {
    expect([...PROJECTION_NAMES].sort()).toEqual([...Object.keys(PROJECTIONS), ANALYTICS_PROJECTION].sort());
  });
});
