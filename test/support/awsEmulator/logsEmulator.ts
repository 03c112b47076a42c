import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { LogsService } from './logs';
import { AwsEmulator } from './server';

export interface LogsEmulator { readonly logs: LogsService; readonly emulator: AwsEmulator; readonly client: CloudWatchLogsClient }

/** A fresh Logs emulator on loopback and an SDK client pointed at it (no retries: the tests see each answer). */
export async function startLogsEmulator(): Promise<LogsEmulator> {
  const logs = new LogsService();
  const emulator = await AwsEmulator.start(logs);
  const client = new CloudWatchLogsClient({ endpoint: emulator.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' }, maxAttempts: 1 });
  return { logs, emulator, client };
}

export async function stopLogsEmulator({ emulator, client }: Pick<LogsEmulator, 'emulator' | 'client'>): Promise<void> {
  client.destroy();
  await emulator.close();
}
