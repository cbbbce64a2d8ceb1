// A frame clock for the stores' tests: requestFrame() queues, tick() runs what was queued (one
// frame, 16 ms after the last) and hands it the frame's timestamp.
export function fakeFrames() {
  let queued: ((now: number) => void)[] = [];
  let now = 0;
  return {
    requestFrame: (callback: (now: number) => void) => queued.push(callback),
    tick() {
      const run = queued;
      queued = [];
      now += 16;
      run.forEach((callback) => callback(now));
    },
  };
}
