/** One JSON object per line on stdout: what the cluster's log shipper expects. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface Logger {
  log(level: LogLevel, message: string, fields?: Record<string, unknown>): void;
}

export function createJsonLogger(
  service: string,
  write: (line: string) => void = line => process.stdout.write(`${line}\n`),
  now: () => Date = () => new Date(),
): Logger {
  return {
    log(level, message, fields = {}) {
      write(JSON.stringify({ time: now().toISOString(), level, service, message, ...fields }));
    },
  };
}
