// A frame clock for the stores' tests: requestFrame() queues, tick() runs what was queued (one frame).
export function fakeFrames() {
  let queued: (() => void)[] = [];
  return {
    requestFrame: (callback: () => void) => queued.push(callback),
    tick() {
      const run = queued;
      queued = [];
      run.forEach((callback) => callback());
    },
  };
}
