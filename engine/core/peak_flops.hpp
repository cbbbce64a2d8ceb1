// The compute roof of this machine for the engine's vector arithmetic: independent f32x4
// multiply-adds (a mul and an add per lane, no memory traffic) on every thread at once.
// The benchmarks print each workload's GFLOP/s as a fraction of it (a roofline's flat part): in
// WebAssembly, f32x4 is the widest vector there is, so no kernel of ours can beat it there.
#pragma once

namespace profundo {

// GFLOP/s of the probe on `threads` threads at once, timed over at least `seconds`.
double peak_f32x4_gflops(int threads, double seconds);

}  // namespace profundo
