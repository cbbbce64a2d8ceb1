#include "labs/loss_surface.hpp"

#include <stdexcept>

namespace profundo {

SurfaceKind parse_surface(const std::string& name) {
  if (name == "bowl") return SurfaceKind::bowl;
  if (name == "rosenbrock") return SurfaceKind::rosenbrock;
  if (name == "saddle") return SurfaceKind::saddle;
  throw std::invalid_argument("surface: unknown surface '" + name + "' (expected bowl, rosenbrock or saddle)");
}

double surface_value(SurfaceKind kind, double w1, double w2) {
  switch (kind) {
    case SurfaceKind::bowl: return 0.5 * (w1 * w1 + 50.0 * w2 * w2);
    case SurfaceKind::rosenbrock: return (1.0 - w1) * (1.0 - w1) + 100.0 * (w2 - w1 * w1) * (w2 - w1 * w1);
    case SurfaceKind::saddle: return 0.5 * w1 * w1 + 0.25 * w2 * w2 * w2 * w2 - 0.5 * w2 * w2;
  }
  return 0.0;
}

void surface_gradient(SurfaceKind kind, double w1, double w2, double& dw1, double& dw2) {
  switch (kind) {
    case SurfaceKind::bowl:
      dw1 = w1;
      dw2 = 50.0 * w2;
      return;
    case SurfaceKind::rosenbrock:
      dw1 = -2.0 * (1.0 - w1) - 400.0 * w1 * (w2 - w1 * w1);
      dw2 = 200.0 * (w2 - w1 * w1);
      return;
    case SurfaceKind::saddle:
      dw1 = w1;
      dw2 = w2 * w2 * w2 - w2;
      return;
  }
}

SurfaceGrid surface_grid(SurfaceKind kind, int columns, int rows) {
  if (columns < 2 || rows < 2 || columns * rows > 250000)
    throw std::invalid_argument("surface grid must be at least 2×2 and at most 250000 points, got " +
                                std::to_string(columns) + "×" + std::to_string(rows));
  SurfaceGrid grid;
  switch (kind) {
    case SurfaceKind::bowl: grid.w1_min = -5, grid.w1_max = 5, grid.w2_min = -2, grid.w2_max = 2; break;
    case SurfaceKind::rosenbrock: grid.w1_min = -2, grid.w1_max = 2, grid.w2_min = -1, grid.w2_max = 3; break;
    case SurfaceKind::saddle: grid.w1_min = -2, grid.w1_max = 2, grid.w2_min = -2, grid.w2_max = 2; break;
  }
  grid.columns = columns;
  grid.rows = rows;
  grid.values.reserve(static_cast<std::size_t>(columns * rows));
  for (int r = 0; r < rows; ++r) {
    const double w2 = grid.w2_min + (grid.w2_max - grid.w2_min) * r / (rows - 1);
    for (int c = 0; c < columns; ++c) {
      const double w1 = grid.w1_min + (grid.w1_max - grid.w1_min) * c / (columns - 1);
      grid.values.push_back(static_cast<float>(surface_value(kind, w1, w2)));
    }
  }
  return grid;
}

}  // namespace profundo
