// Turns a C++ exception into a JavaScript Error carrying its message, so the page can show
// "model.layers[2] (dense): units must be positive, got 0" instead of a bare pointer.
// Guard<&f>::call has f's signature; for a member function it takes the object first, which is
// the form Embind's class_::function accepts.
#pragma once

#include "settings/settings.hpp"

#include <emscripten/val.h>

#include <exception>
#include <new>
#include <string>
#include <utility>

namespace profundo::bindings {

// `setting`: a SettingError's details() as JSON text, given to the page as error.setting
// ({code, path, expected, value}) so it can word the problem in its own language.
[[noreturn]] inline void throw_js_error(const std::string& message, const std::string& setting = "") {
  emscripten::val error = emscripten::val::global("Error").new_(message);
  if (!setting.empty()) error.set("setting", emscripten::val::global("JSON").call<emscripten::val>("parse", setting));
  error.throw_();
}

// std::bad_alloc says only "std::bad_alloc"; the student needs to know what to change.
inline const char* const out_of_memory_message =
    "out of memory: reduce the batch size or the model (a browser tab gives the engine at most 2 GB)";

// Calls body(); a C++ exception becomes a JavaScript Error with its message (and a SettingError's
// details as error.setting). Thrown after the catch block, so the C++ exception is released first.
template <typename Body>
decltype(auto) guarded(Body&& body) {
  std::string message, setting;
  try {
    return body();
  } catch (const std::bad_alloc&) {
    message = out_of_memory_message;
  } catch (const SettingError& error) {
    message = error.what();
    setting = error.details().dump();
  } catch (const std::exception& error) {
    message = error.what();
  }
  throw_js_error(message, setting);
}

template <auto Function>
struct Guard;

template <typename R, typename... Args, R (*Function)(Args...)>
struct Guard<Function> {
  static R call(Args... args) {
    return guarded([&]() -> R { return Function(std::forward<Args>(args)...); });
  }
};

template <typename C, typename R, typename... Args, R (C::*Method)(Args...)>
struct Guard<Method> {
  static R call(C& self, Args... args) {
    return guarded([&]() -> R { return (self.*Method)(std::forward<Args>(args)...); });
  }
};

template <typename C, typename R, typename... Args, R (C::*Method)(Args...) const>
struct Guard<Method> {
  static R call(const C& self, Args... args) {
    return guarded([&]() -> R { return (self.*Method)(std::forward<Args>(args)...); });
  }
};

}  // namespace profundo::bindings
