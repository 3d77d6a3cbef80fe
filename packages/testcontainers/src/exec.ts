import type { ExecOptions, ExecResult, StartedTestContainer } from 'testcontainers';

/**
 * `container.exec`, asked again when Docker could not tell how it ended. testcontainers inspects the exec as soon as
 * its output stream ends; on a loaded machine the engine may not have recorded the exit yet, and the answer is exit
 * code -1 with the output lost (seen here while images were building). Only for commands that are safe to repeat.
 */
export async function execRepeatable(container: StartedTestContainer, command: string[], options?: Partial<ExecOptions>, attempts = 3): Promise<ExecResult> {
  let result = await container.exec(command, options);
  for (let i = 1; i < attempts && result.exitCode === -1; i++) result = await container.exec(command, options);
  return result;
}
