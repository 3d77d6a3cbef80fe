import { CATALOG_CACHE_PREFIX, CATALOG_TABLE } from '@shop/read-models';
import { catalogProjection, catalogProjectionInto } from './catalog/catalog.projection.js';
import type { Projection } from './projection.js';

/** A projection whose read model is one table, so it can be rebuilt into a shadow table and swapped in. */
export interface RebuildableProjection {
  projection: Projection;
  table: string;
  into: (table: string) => Projection;
  /** Redis keys of this read model: all dropped after a rebuild. */
  cachePrefix: string;
}

/** Every projection the projector runs, by name (`npm run projections -- <command> <name>`). */
export const PROJECTIONS: Readonly<Record<string, RebuildableProjection>> = {
  [catalogProjection.name]: { projection: catalogProjection, table: CATALOG_TABLE, into: catalogProjectionInto, cachePrefix: CATALOG_CACHE_PREFIX },
};
