// 2-D convolution (cross-correlation) on NCHW images, PyTorch's weight layout:
//   x [N, C, H, W] -> y [N, K, OH, OW],  W [K, C, k, k],  b [K]
//   y[n, o, i, j] = b[o] + Σ_c Σ_p Σ_q W[o, c, p, q] · x[n, c, i·s − top + p, j·s − left + q]
// Padding valid or same (TensorFlow's rule, see padding.hpp). Initialisation uses
// fan_in = C·k·k and fan_out = K·k·k.
//
// Fast path: im2col + GEMM. The batch is split into one contiguous range of samples per thread;
// each thread lays several samples side by side in its own column buffer
//   col [C·k·k, g·OH·OW]   and computes   Y = W col  (one GEMM for g samples).
// Where gemm() is our packed GEMM (WebAssembly) the forward never stores col: in the image interior
// (stride 1) the GEMM reads each patch element's eight consecutive pixels straight from x
// (panel_in_place), elsewhere pack_columns writes the im2col values into its packed panels; it
// adds the bias as it stores Y per sample: no copy of the interior columns, no pass for the bias.
// Backward recomputes col, then dW_t += dY col^T, dcol = W^T dY, and scatters dcol back to dx
// (col2im); where gemm() is gemm_packed and nearly every panel is in place, the GEMM adds W^T dY
// straight into dx (GemmScatterC: each interior tile row is eight consecutive pixels of dx) and no
// dcol is stored. The per-thread dW_t, db_t are added to the parameter gradients in thread order, so the
// result depends on the thread count only, never on timing. Buffers are kept between steps.
// Where gemm() is gemm_packed, dW's GEMM packs colᵀ straight from x (pack_transposed_columns), so
// col is only built where dx needs dcol's buffer.
#pragma once

#include "core/gemm.hpp"
#include "layers/initializer.hpp"
#include "layers/layer.hpp"
#include "layers/padding.hpp"

#include <vector>

namespace profundo {

class BatchNorm;
class MaxPool2d;

class Conv2d : public Layer {
 public:
  Conv2d(Shape input_shape, int out_channels, int kernel_size, int stride = 1, Padding padding = Padding::valid,
         Init weight_init = Init::he_normal, float bias_value = 0.0f);

  std::string kind() const override { return "conv2d"; }
  Shape output_shape() const override { return {out_channels_, out_height_, out_width_}; }
  const Tensor& forward(const Tensor& x, RunContext& context) override;
  // Layers that follow a convolution and that its evaluation call runs itself (Model fuses them):
  // a batch norm, folded into the weights and bias (both are affine per output channel); a ReLU,
  // applied as the output is written; a max-pooling, of a few samples at a time while their
  // output is in cache. The call returns the last one's output.
  struct Fused {
    const BatchNorm* norm = nullptr;
    bool relu = false;
    MaxPool2d* pool = nullptr;
    // How many of the model's layers the call runs, the convolution included.
    std::size_t layers() const { return 1 + (norm != nullptr ? 1 : 0) + (relu ? 1 : 0) + (pool != nullptr ? 1 : 0); }
  };
  const Tensor& forward(const Tensor& x, RunContext& context, const Fused& then);
  const Tensor& backward(const Tensor& dy, RunContext& context) override;
  std::vector<Parameter> parameters() override;
  void initialize(Random& rng) override;

  int in_channels() const { return in_channels_; }
  int out_channels() const { return out_channels_; }
  int kernel_size() const { return kernel_; }
  int stride() const { return stride_; }
  Padding padding() const { return padding_; }
  int pad_top() const { return pad_top_; }
  int pad_left() const { return pad_left_; }
  Tensor& weight() { return weight_; }
  Tensor& bias() { return bias_; }
  // Forward through gemm_packed with im2col done while packing (the default where gemm() is
  // gemm_packed: WebAssembly) or through im2col and gemm() (elsewhere). Both are tested everywhere.
  void set_fused_forward(bool fused) { fused_forward_ = fused; }
  // dW through gemm_packed with colᵀ packed from x (default where gemm() is gemm_packed) or
  // through im2col and gemm(). Both are tested everywhere.
  void set_fused_backward(bool fused) { fused_backward_ = fused; }
  // With the fused backward: dx added by the GEMM (default where ≥ 90 % of the panels lie in x) or
  // through dcol and col2im. Both are tested everywhere.
  void set_fused_input_gradient(bool fused) { dx_in_place_ = fused; }
  // dW straight from x and dy (weight_gradient_direct: stride 1, no padding, kernel ≤ 5; the
  // default for one input channel where gemm() is gemm_packed) or through a GEMM. Both are tested.
  bool direct_weight_gradient_possible() const {
    return stride_ == 1 && pad_top_ == 0 && pad_left_ == 0 && kernel_ <= kDirectMaxKernel;
  }
  void set_direct_weight_gradient(bool direct) { direct_weight_gradient_ = direct && direct_weight_gradient_possible(); }

 private:
  struct Workspace {
    Tensor col;      // [C·k·k, g·P] columns of g samples (reused as dcol in backward)
    Tensor product;  // [K, g·P] forward output / backward gathered dy; [g, K, P] output to pool
    Tensor weight_grad, bias_grad;  // this thread's partial sums (threads > 1)
  };

  int samples_per_gemm(int samples) const;
  static constexpr int kDirectMaxKernel = 5;
  void weight_gradient_direct(const float* x, const float* dy, int samples, float* dw) const;
  template <int kKernel>
  void weight_gradient_direct(const float* x, const float* dy, int samples, float* dw) const;
  void im2col(const float* x, int samples, float* col) const;
  void col2im(const float* col, int samples, float* dx) const;
  std::ptrdiff_t panel_in_place(int j) const;
  void scatter_tile(int i, int rows, int j, int columns, const float* tile, float* dx) const;
  void pack_columns(const float* x, int p0, int kc, int j0, int nc, float* panels) const;
  void pack_transposed_columns(const float* x, int p0, int kc, int j0, int nc, float* panels) const;
  Workspace& workspace(int thread);

  int in_channels_, in_height_, in_width_;
  int out_channels_, kernel_, stride_;
  Padding padding_;
  Init weight_init_;
  float bias_value_;
  int out_height_ = 0, out_width_ = 0, pad_top_ = 0, pad_left_ = 0;
  int patch_ = 0;   // C·k·k
  int pixels_ = 0;  // OH·OW
  // For each kernel column q: the output columns [first, last) whose input column is inside the image.
  std::vector<int> first_valid_col_, last_valid_col_;
  std::vector<int> first_valid_row_, last_valid_row_;
  // For each patch element (c, p, q): its offset c·H·W + p·W + q from the patch's first pixel.
  std::vector<int> patch_offsets_;
  // The same with the channel innermost, (p, q, c): the rows of dx's GEMM (weight_by_position_), so
  // that the rows of one micro-tile are different channels and their dx rows do not overlap.
  std::vector<int> position_offsets_;
  Tensor weight_by_position_;  // [k·k·C, K]: W[o, c, p, q] at row (p·k + q)·C + c
  // dx added by the GEMM by default only where ≥ 90 % of the panels are in place (tfjs-cnn's
  // second convolution: all); elsewhere the per-element border path cost more than dcol + col2im
  // (keras-cnn's training 0.91× in same-time pairs).
  bool dx_in_place_ = false;
  bool direct_weight_gradient_ = false;

  Tensor weight_, weight_grad_;  // [K, C, k, k]
  Tensor bias_, bias_grad_;      // [K]
  Tensor folded_weight_, folded_bias_;  // with a batch norm folded in (Fused::norm)
  const Tensor* input_ = nullptr;
  Tensor output_, input_grad_;
  std::vector<Workspace> workspaces_;
  bool fused_forward_ = kGemmPackedByDefault;
  bool fused_backward_ = kGemmPackedByDefault;
};

}  // namespace profundo
