// Whether a matrix operand is used as stored or transposed.
#pragma once

namespace profundo {

enum class Transpose { no, yes };

}  // namespace profundo
