# profundo_flags: an interface target carrying the build variant's compile and link options.
# Every Profundo target links it, so flags stay per target instead of global.
add_library(profundo_flags INTERFACE)

target_compile_options(profundo_flags INTERFACE -Wall -Wextra -Wno-deprecated-declarations)
target_compile_definitions(profundo_flags INTERFACE PROFUNDO_BUILD_NAME="${PROFUNDO_BUILD_NAME}")

if(EMSCRIPTEN)
  # SIMD matters: Eigen's GEMM runs ~3x faster with it. No -msse*: those emulation headers are broken here.
  target_compile_options(profundo_flags INTERFACE -msimd128)
  target_link_options(profundo_flags INTERFACE -msimd128)
  if(PROFUNDO_WASM_THREADS)
    # Native wasm exceptions are faster, but with -pthread this Emscripten (3.1.6, Debian) links a
    # C++ runtime that cannot match catch clauses: every exception arrives as "unknown". So the
    # threaded build uses Emscripten's JavaScript-based exceptions.
    target_compile_options(profundo_flags INTERFACE -pthread -fexceptions)
    target_link_options(profundo_flags INTERFACE -pthread -fexceptions)
  else()
    target_compile_options(profundo_flags INTERFACE -fwasm-exceptions)
    target_link_options(profundo_flags INTERFACE -fwasm-exceptions)
  endif()
else()
  if(PROFUNDO_NATIVE_ARCH)
    # GCC 12 warns falsely inside its own AVX-512 intrinsics headers when Eigen uses them.
    target_compile_options(profundo_flags INTERFACE -march=native
                           $<$<CXX_COMPILER_ID:GNU>:-Wno-maybe-uninitialized>)
  endif()
endif()

if(PROFUNDO_SANITIZE)
  target_compile_options(profundo_flags INTERFACE -fsanitize=address,undefined -fno-omit-frame-pointer
                                                  -fno-sanitize-recover=undefined)
  target_link_options(profundo_flags INTERFACE -fsanitize=address,undefined)
endif()

if(PROFUNDO_FUZZ)
  # Coverage feedback for libFuzzer in every target; the fuzz executables add the driver itself.
  target_compile_options(profundo_flags INTERFACE -fsanitize=fuzzer-no-link)
endif()

if(EMSCRIPTEN AND NOT PROFUNDO_WASM_THREADS)
  target_compile_definitions(profundo_flags INTERFACE PROFUNDO_NO_THREADS)
endif()
