// Two-parameter loss surfaces J(w1, w2) on which the optimisers are compared:
//   bowl        J = ½ (w1² + 50 w2²)                 elongated: curvature 1 along w1, 50 along w2.
//               So elongated that plain gradient descent, whose α must stay below 2/50 to converge,
//               crawls along w1 while it zig-zags across w2: the lecture's case for momentum (with
//               β = 0.9 momentum beats the best fixed α only when the curvatures differ by ≳ 40×).
//   rosenbrock  J = (1 − w1)² + 100 (w2 − w1²)²       a curved narrow valley, minimum at (1, 1)
//   saddle      J = ½ w1² + ¼ w2⁴ − ½ w2²             a saddle at (0, 0), minima at (0, ±1)
#pragma once

#include <string>
#include <vector>

namespace profundo {

enum class SurfaceKind { bowl, rosenbrock, saddle };

// Throws std::invalid_argument naming the value when it is not bowl, rosenbrock or saddle.
SurfaceKind parse_surface(const std::string& name);

double surface_value(SurfaceKind kind, double w1, double w2);
// (∂J/∂w1, ∂J/∂w2)
void surface_gradient(SurfaceKind kind, double w1, double w2, double& dw1, double& dw2);

struct SurfaceGrid {
  float w1_min = 0, w1_max = 0, w2_min = 0, w2_max = 0;  // the plotted window
  int columns = 0, rows = 0;
  std::vector<float> values;  // [rows, columns]; row 0 is w2_min, column 0 is w1_min
};

// The window the labs plot for each surface, sampled on columns × rows points.
SurfaceGrid surface_grid(SurfaceKind kind, int columns, int rows);

}  // namespace profundo
