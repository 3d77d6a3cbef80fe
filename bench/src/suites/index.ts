import type { Suite } from '../suite.js';
import { auditSuite } from './audit.bench.js';
import { commandsSuite } from './commands.bench.js';
import { curvesSuite } from './curves.bench.js';
import { eventStoreSuite } from './event-store.bench.js';
import { projectorSuite } from './projector.bench.js';
import { querySuite } from './query.bench.js';
import { visibilitySuite } from './visibility.bench.js';

/** Every suite `npm run bench` knows, in the order a full run takes them. */
export const SUITES: readonly Suite[] = [eventStoreSuite, commandsSuite, projectorSuite, visibilitySuite, querySuite, curvesSuite, auditSuite];
