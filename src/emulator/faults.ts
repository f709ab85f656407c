/**
 * Injected faults, for testing clients against a platform that misbehaves. A fault strikes a
 * random share of Open API requests (never the control API):
 * - `429`: refused as rate limited, before anything happens;
 * - `500`, `drop`: the request IS carried out, then the answer is a 500 or the connection is cut,
 *   which is exactly when a client must not do it twice;
 * - `slow`: carried out, answered after `slowMs`.
 */
export interface FaultSettings {
  drop: number;
  error: number;
  slow: number;
  rateLimit: number;
  slowMs: number;
}

export type Fault = 'drop' | 'error' | 'slow' | 'rateLimit';

export const NO_FAULTS: FaultSettings = { drop: 0, error: 0, slow: 0, rateLimit: 0, slowMs: 1000 };

/** A slow answer longer than this is no longer slow, it is gone: use drop for that. */
export const MAX_SLOW_MS = 120_000;

const KEYS: Record<string, keyof FaultSettings> = { drop: 'drop', '500': 'error', error: 'error', slow: 'slow', '429': 'rateLimit', rate_limit: 'rateLimit', slow_ms: 'slowMs' };

/** `0.2` spreads 20 % over the four kinds; `drop=0.05,500=0.05,slow=0.05,429=0.05,slow_ms=800` sets each. */
export function parseFaults(spec: string): FaultSettings {
  const total = Number(spec);
  if (spec.trim() !== '' && Number.isFinite(total)) {
    if (total < 0 || total > 1) throw new Error(`--faults ${spec}: a rate is between 0 and 1`);
    return { ...NO_FAULTS, drop: total / 4, error: total / 4, slow: total / 4, rateLimit: total / 4 };
  }
  const out = { ...NO_FAULTS };
  for (const part of spec.split(',').map((p) => p.trim()).filter(Boolean)) {
    const [k, v] = part.split('=');
    const key = KEYS[k ?? ''];
    const n = Number(v);
    if (!key || v === undefined || !Number.isFinite(n) || n < 0) throw new Error(`--faults: "${part}" is not one of drop=, 500=, slow=, 429= (rates) or slow_ms=`);
    if (key !== 'slowMs' && n > 1) throw new Error(`--faults: "${part}": a rate is between 0 and 1`);
    if (key === 'slowMs' && n > MAX_SLOW_MS) throw new Error(`--faults: "${part}": slow_ms is at most ${MAX_SLOW_MS}`);
    out[key] = n;
  }
  if (out.drop + out.error + out.slow + out.rateLimit > 1) throw new Error('--faults: the rates add up to more than 1');
  return out;
}

export function pickFault(f: FaultSettings, random = Math.random): Fault | null {
  // With no fault configured (the usual case) none can be picked: draw no random number for it.
  if (f.rateLimit === 0 && f.error === 0 && f.drop === 0 && f.slow === 0) return null;
  let r = random();
  for (const kind of ['rateLimit', 'error', 'drop', 'slow'] as const) {
    if (r < f[kind]) return kind;
    r -= f[kind];
  }
  return null;
}
