import { configOrExit, loadConfig } from '@shop/service-kit';
import { runCreateAdmin } from './auth/create-admin/create-admin.cli.js';
import { CREATE_ADMIN_USAGE } from './auth/create-admin/create-admin.js';
import { CreateAdminConfig } from './config.js';
import { serve } from './serve.js';

// `node command-service/dist/main.js` serves; `… create-admin --email <email>` (password on stdin) manages the admin
// account and exits. The image's ENTRYPOINT is this file, so `docker-compose run --rm -T command-service create-admin …`
// runs the same code with the service's environment.
const [command, ...args] = process.argv.slice(2);
if (command === undefined) {
  await serve(process.env);
} else if (command === 'create-admin') {
  const { DATABASE_URL } = configOrExit('create-admin', () => loadConfig(CreateAdminConfig, process.env));
  process.exitCode = await runCreateAdmin(args, DATABASE_URL, { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr });
} else {
  process.stderr.write(`command-service: unknown command "${command}"\n  no argument: serve the command API\n  ${CREATE_ADMIN_USAGE}\n`);
  process.exitCode = 2;
}
