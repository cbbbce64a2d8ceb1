// Memory figures for the long-run tests (tests/wasm/memory.test.mjs) and for the page.
#include "core/memory_usage.hpp"

#include <emscripten/bind.h>

EMSCRIPTEN_BINDINGS(memory) {
  emscripten::function("allocatedBytes", &profundo::allocated_bytes);
}
