// Four floats as one value (GCC/Clang vector extensions: simd128 in WebAssembly, SSE natively), for
// the kernels written by hand: the packed GEMM, the convolution's direct weight gradient; and the
// widest vector, for code written once for any width.
#pragma once

namespace profundo {

// aligned(4) and may_alias: loads and stores go straight to any float buffer.
typedef float f32x4 __attribute__((vector_size(16), aligned(4), __may_alias__));

inline f32x4 load4(const float* p) { return *reinterpret_cast<const f32x4*>(p); }
inline void store4(float* p, f32x4 v) { *reinterpret_cast<f32x4*>(p) = v; }
inline f32x4 splat4(float x) { return f32x4{x, x, x, x}; }
inline float sum4(f32x4 v) { return (v[0] + v[1]) + (v[2] + v[3]); }

// Floats in the widest vector register the build targets: 16 with AVX-512, 8 with AVX, 4 otherwise
// (wasm simd128, SSE). For code written once for any width (core/vector_math.cpp, the ceiling probe).
#if defined(__AVX512F__)
constexpr int kWidestLanes = 16;
#elif defined(__AVX__)
constexpr int kWidestLanes = 8;
#else
constexpr int kWidestLanes = 4;
#endif

// kWidestLanes floats as one value; like f32x4, loads and stores go straight to any float buffer.
typedef float widest_floats __attribute__((vector_size(kWidestLanes * 4), aligned(4), __may_alias__));
inline widest_floats load_widest(const float* p) { return *reinterpret_cast<const widest_floats*>(p); }
inline void store_widest(float* p, widest_floats v) { *reinterpret_cast<widest_floats*>(p) = v; }
inline float sum_lanes(widest_floats v) {
  float sum = 0.0f;
  for (int i = 0; i < kWidestLanes; ++i) sum += v[i];
  return sum;
}

}  // namespace profundo
