// A one-line progress bar on stderr, redrawn in place; silent when stderr is not a terminal.
#pragma once

#include <cstdio>
#include <unistd.h>

namespace profundo::cli {

class ProgressBar {
 public:
  explicit ProgressBar(bool enabled) : enabled_(enabled && isatty(fileno(stderr))) {}

  void update(int epoch, int epochs, int batch, int batches, float running_loss) {
    if (!enabled_ || (batch % 10 != 0 && batch != batches)) return;
    constexpr int kWidth = 30;
    const int filled = batches > 0 ? kWidth * batch / batches : kWidth;
    std::fprintf(stderr, "\repoch %d/%d [", epoch, epochs);
    for (int i = 0; i < kWidth; ++i) std::fputc(i < filled ? '#' : '.', stderr);
    std::fprintf(stderr, "] %d/%d loss %.4f", batch, batches, running_loss);
    std::fflush(stderr);
  }
  void finish() {
    if (enabled_) std::fputs("\r\033[K", stderr);
  }

 private:
  bool enabled_;
};

}  // namespace profundo::cli
