export interface Service {
  url: string;
  port: number;
  /** Date.now() value from which /health answers 200. */
  readyAt: number;
  requests: () => number;
  /** The most requests in progress at once since the start or the last resetCounters(). */
  maxInFlight: () => number;
  resetCounters: () => void;
  close: () => Promise<void>;
}
/** The password /login accepts. */
export const DEMO_PASSWORD: string;
export function startService(options?: { readyAfterMs?: number; version?: string; port?: number; latencyMs?: number }): Promise<Service>;
