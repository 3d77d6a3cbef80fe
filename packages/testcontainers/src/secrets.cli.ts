// `node packages/testcontainers/dist/secrets.cli.js`: fresh secrets as `.env` lines on standard output. The compose
// stack's `npm run containers -- up` writes its `.env` with this, so it and startShop() make secrets one way.
import { generateShopSecrets, secretsAsEnvLines } from './secrets.js';

process.stdout.write(secretsAsEnvLines(generateShopSecrets()));
