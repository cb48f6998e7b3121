import { createAdapter } from '../adapters/registry.js';
import { TsdbtError } from '../errors/tsdbt-error.js';
import type { OpenedProject } from './open-project.js';

/** `tsdbt debug`: connects and runs SELECT 1; returns where it connected (no secrets). */
export async function testConnection(opened: OpenedProject): Promise<string> {
  const { target } = opened;
  const { connection } = await createAdapter(target);
  try {
    await connection.open();
    const result = await connection.query('SELECT 1 AS ok');
    if (Number(result.rows[0]?.ok) !== 1) throw new Error('the test query returned an unexpected result');
    return connection.describe();
  } catch (error) {
    if (error instanceof TsdbtError) throw error;
    throw new TsdbtError(`connection test failed: ${(error as Error).message.split('\n')[0]}`, {
      code: 'E_CONNECT',
      kind: 'config',
      location: target.locate(),
      hint: 'check the target in profiles.yml, network access and credentials',
    });
  } finally {
    await connection.close();
  }
}
