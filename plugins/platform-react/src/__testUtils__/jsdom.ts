/** jsdom has no ResizeObserver; recharts' ResponsiveContainer needs one to mount. */
export function installResizeObserver(): void {
  class NoopResizeObserver {
    observe() {}
    unobserve() {}
    disconnect() {}
  }
  (globalThis as { ResizeObserver?: unknown }).ResizeObserver ??=
    NoopResizeObserver;
}
