export interface Service {
  url: string;
  port: number;
  /** Date.now() value from which /health answers 200. */
  readyAt: number;
  requests: () => number;
  close: () => Promise<void>;
}
export function startService(options?: { readyAfterMs?: number; version?: string; port?: number }): Promise<Service>;
