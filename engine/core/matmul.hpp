// Matrix products for the layers, split across the thread pool.
#pragma once

#include "core/tensor.hpp"
#include "core/thread_pool.hpp"
#include "core/transpose.hpp"

namespace profundo {

// c = op(a) * op(b), or c += op(a) * op(b) when accumulate is true.
// The work is split along the larger dimension of c, so threads never write the same element and
// the result does not depend on timing (only on the thread count).
void matmul(ThreadPool& pool, const ConstMatrixMap& a, Transpose transpose_a, const ConstMatrixMap& b,
            Transpose transpose_b, MatrixMap c, bool accumulate);

}  // namespace profundo
