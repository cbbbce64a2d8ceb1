// Replays a fuzz target over the files of the directories (or files) given on the command line:
// the regression corpus runs in every `npm test`, with or without sanitizers, and without libFuzzer.
#include "fuzz_target.hpp"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <vector>

namespace {

int replay_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "cannot read %s\n", path.c_str());
    return 1;
  }
  const std::vector<std::uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  LLVMFuzzerTestOneInput(bytes.data(), bytes.size());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  int files = 0;
  int failures = 0;
  for (int i = 1; i < argc; ++i) {
    const std::filesystem::path root(argv[i]);
    if (std::filesystem::is_directory(root)) {
      for (const auto& entry : std::filesystem::recursive_directory_iterator(root)) {
        if (!entry.is_regular_file()) continue;
        failures += replay_file(entry.path());
        ++files;
      }
    } else {
      failures += replay_file(root);
      ++files;
    }
  }
  if (files == 0) {
    std::fprintf(stderr, "no input files: the corpus is missing\n");
    return 1;
  }
  std::printf("replayed %d inputs\n", files);
  return failures == 0 ? 0 : 1;
}
