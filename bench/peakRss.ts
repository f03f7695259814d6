// Peak resident memory of this process since the last reset: Linux's VmHWM (/proc/self/status), reset to the current
// RSS by writing 5 to /proc/self/clear_refs. Not process.resourceUsage().maxRSS alone: a forked child's maxRSS starts
// at its parent's RSS (the address space copied before exec) and never resets. Without /proc: maxRSS, no reset. Node only.
import { readFileSync, writeFileSync } from 'node:fs';

let canReset: boolean | null = null;

/** Sets the peak to the current RSS; false when this system cannot (then peakRssBytes is the lifetime maxRSS). */
export function resetPeakRss(): boolean {
  if (canReset === false) return false;
  try { writeFileSync('/proc/self/clear_refs', '5'); canReset = true; } catch { canReset = false; }
  return canReset;
}

/** Peak RSS in bytes since the last resetPeakRss (or since the process started). */
export function peakRssBytes(): number {
  if (canReset) {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
    if (m) return Number(m[1]) * 1024;
  }
  return process.resourceUsage().maxRSS * 1024;
}
