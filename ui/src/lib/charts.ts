/** Data shaping for the small charts (pure, tested): buckets of runs by state, axis maxima. */
import type { RunCount } from "../api/types";
import { familyOf, type Family } from "./states";

export interface Bucket {
  start: number;
  counts: Partial<Record<Family, number>>;
  total: number;
}

/** `n` consecutive buckets from `since`, filled from the API's non-empty buckets. */
export function fillBuckets(counts: RunCount[], since: number, bucketMs: number, n: number): Bucket[] {
  const first = Math.floor(since / bucketMs) * bucketMs;
  const buckets: Bucket[] = Array.from({ length: n }, (_, i) => ({ start: first + i * bucketMs, counts: {}, total: 0 }));
  for (const item of counts) {
    const index = Math.floor((Date.parse(item.bucketStart) - first) / bucketMs);
    if (index < 0 || index >= n) continue;
    const family = familyOf(item.state);
    const bucket = buckets[index];
    bucket.counts[family] = (bucket.counts[family] ?? 0) + item.count;
    bucket.total += item.count;
  }
  return buckets;
}

/** A round number at or above `value` for an axis top (1, 2, 5, 10, 20, 50...). */
export function niceMax(value: number): number {
  if (value <= 0) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 2.5, 5, 10]) if (step * magnitude >= value) return step * magnitude;
  return 10 * magnitude;
}

/** Success rate of finished runs in buckets (0..1), or null when nothing finished. */
export function successRate(buckets: Bucket[]): number | null {
  let ok = 0;
  let finished = 0;
  for (const b of buckets) {
    ok += b.counts.Success ?? 0;
    finished += (b.counts.Success ?? 0) + (b.counts.Failed ?? 0) + (b.counts.Cancelled ?? 0) + (b.counts.Finished ?? 0);
  }
  return finished ? ok / finished : null;
}
