// std::vector<T> crosses the boundary as a plain JavaScript array (of numbers, strings or
// value_objects) in both directions, so `input: [1, 28, 28]` and `layers: [{...}]` just work and
// no Embind vector handles need deleting.
#pragma once

#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <type_traits>
#include <vector>

namespace emscripten::internal {

template <typename T, typename Allocator>
struct BindingType<std::vector<T, Allocator>> {
  using ValBinding = BindingType<val>;
  using WireType = ValBinding::WireType;

  static WireType toWireType(const std::vector<T, Allocator>& items) {
    val array = val::array();
    for (const auto& item : items) array.call<void>("push", item);
    return ValBinding::toWireType(array);
  }
  static std::vector<T, Allocator> fromWireType(WireType wire) {
    const val array = ValBinding::fromWireType(wire);
    if constexpr (std::is_arithmetic_v<T>) {
      return convertJSArrayToNumberVector<T>(array);
    } else {
      return vecFromJSArray<T>(array);
    }
  }
};

template <typename T>
struct TypeID<T, typename std::enable_if_t<std::is_same_v<
                     typename Canonicalized<T>::type,
                     std::vector<typename Canonicalized<T>::type::value_type,
                                 typename Canonicalized<T>::type::allocator_type>>>> {
  static constexpr TYPEID get() { return TypeID<val>::get(); }
};

}  // namespace emscripten::internal
