import { catalogProjection } from './catalog/catalog.projection.js';
import type { Projection } from './projection.js';

/** Every projection the projector runs, by name (`npm run projections -- <command> <name>`). */
export const PROJECTIONS: Readonly<Record<string, Projection>> = {
  [catalogProjection.name]: catalogProjection,
};
