// Coalesces redraws: schedule() as often as events arrive, draw() runs at most once per animation
// frame, with the frame's timestamp (and not at all in a background tab, which gets no frames: the
// data waits for the next one). The frame source is a parameter so that tests drive it with a
// fake clock.
export type RequestFrame = (callback: (now: number) => void) => unknown;

export const animationFrame: RequestFrame = (callback) => requestAnimationFrame(callback);

export interface FrameScheduler {
  /** Asks for one draw in the next frame (a no-op when one is already asked for). */
  schedule(): void;
  /** Forgets a pending draw (the widget is gone). */
  cancel(): void;
}

export function oncePerFrame(draw: (now: number) => void, requestFrame: RequestFrame = animationFrame): FrameScheduler {
  let pending = false;
  let cancelled = false;
  return {
    schedule() {
      cancelled = false;
      if (pending) return;
      pending = true;
      requestFrame((now) => {
        pending = false;
        if (!cancelled) draw(now);
      });
    },
    cancel() {
      cancelled = true;
    },
  };
}
