// How many bytes the C++ heap has handed out and not taken back (malloc's own count). A leak —
// an object created through the bindings and never deleted, a buffer that grows on every step —
// shows up as a number that keeps growing across identical rounds of work.
#pragma once

namespace profundo {

// Bytes currently allocated by malloc/new in this process (or wasm instance), as a double so that
// it crosses to JavaScript without 64-bit integers.
double allocated_bytes();

}  // namespace profundo
