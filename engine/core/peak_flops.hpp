// The compute roof of this machine for the engine's vector arithmetic: independent f32x4
// multiply-adds (a mul and an add per lane, no memory traffic) on every thread at once.
// The benchmarks print each workload's GFLOP/s as a fraction of it (a roofline's flat part): in
// WebAssembly, f32x4 is the widest vector there is, so no kernel of ours can beat it there.
#pragma once

namespace profundo {

// GFLOP/s of the probe on `threads` threads at once, timed over at least `seconds`.
double peak_f32x4_gflops(int threads, double seconds);

// The same probe with the widest vector this build compiles for, as a fused multiply-add where the
// target has one: natively (-march=native) on an AVX-512 machine 16 floats per instruction, in
// WebAssembly the f32x4 mul and add above. Native GEMMs (Eigen) use it, wasm ones cannot: the ratio
// of the two ceilings bounds how close a wasm build can come to the native one on GEMM-bound work.
struct VectorCeiling {
  int lanes = 4;
  bool fused = false;
  double gflops = 0.0;
};
VectorCeiling peak_widest_gflops(int threads, double seconds);

}  // namespace profundo
