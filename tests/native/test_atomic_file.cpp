// Native only (touches the file system through engine/io).
#include "io/atomic_file.hpp"
#include "persist/checkpoint.hpp"

#include <catch2/catch.hpp>

#include <sys/resource.h>
#include <unistd.h>

#include <csignal>
#include <filesystem>
#include <fstream>

using namespace profundo;
namespace fs = std::filesystem;

namespace {

using Bytes = std::vector<std::uint8_t>;

Bytes bytes_of(const std::string& text) { return Bytes(text.begin(), text.end()); }

// A fresh directory per test case, removed afterwards.
struct TemporaryDirectory {
  fs::path path;
  TemporaryDirectory() : path(fs::temp_directory_path() / ("profundo-atomic-" + std::to_string(::getpid()))) {
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~TemporaryDirectory() { fs::remove_all(path); }
  std::string operator/(const std::string& name) const { return (path / name).string(); }
  std::size_t entry_count() const { return static_cast<std::size_t>(std::distance(fs::directory_iterator(path), fs::directory_iterator())); }
};

}  // namespace

TEST_CASE("an atomic write creates and then replaces a file", "[checkpoint][io]") {
  TemporaryDirectory dir;
  const std::string path = dir / "model.ckpt";
  write_file_atomically(path, bytes_of("first version, long"));
  CHECK(read_file(path, 1000) == bytes_of("first version, long"));
  write_file_atomically(path, bytes_of("second"));
  CHECK(read_file(path, 1000) == bytes_of("second"));
  write_file_atomically(path, {});
  CHECK(read_file(path, 1000).empty());
  CHECK(dir.entry_count() == 1);  // no temporary file left behind
}

TEST_CASE("a failed atomic write throws and leaves the previous file intact", "[checkpoint][io][validation]") {
  TemporaryDirectory dir;
  const std::string path = dir / "model.ckpt";
  write_file_atomically(path, bytes_of("previous"));

  SECTION("the directory does not exist") {
    const std::string missing = dir / "missing/model.ckpt";
    CHECK_THROWS_WITH(write_file_atomically(missing, bytes_of("new")),
                      Catch::StartsWith(missing) && Catch::Contains("No such file or directory"));
  }
  SECTION("the path is a directory") {
    const std::string subdirectory = dir / "sub";
    fs::create_directory(subdirectory);
    CHECK_THROWS_WITH(write_file_atomically(subdirectory, bytes_of("new")),
                      Catch::StartsWith(subdirectory) && Catch::Contains("cannot replace"));
    CHECK(fs::is_directory(subdirectory));
  }
  SECTION("the disk fills up in the middle of the write") {
    // RLIMIT_FSIZE makes write() fail with EFBIG after 8 bytes, standing in for a full disk (and it
    // applies to root, unlike permissions). Both the limit and SIGXFSZ are restored at once.
    rlimit old_limit{};
    REQUIRE(::getrlimit(RLIMIT_FSIZE, &old_limit) == 0);
    rlimit small = old_limit;
    small.rlim_cur = 8;
    const auto old_handler = std::signal(SIGXFSZ, SIG_IGN);
    REQUIRE(::setrlimit(RLIMIT_FSIZE, &small) == 0);
    std::string error;
    try {
      write_file_atomically(path, Bytes(100000, 7));
    } catch (const std::runtime_error& e) {
      error = e.what();
    }
    ::setrlimit(RLIMIT_FSIZE, &old_limit);
    std::signal(SIGXFSZ, old_handler);
    CHECK_THAT(error, Catch::StartsWith(path) && Catch::Contains("cannot write"));
  }
  CHECK(read_file(path, 1000) == bytes_of("previous"));
  CHECK(fs::exists(dir / "model.ckpt"));
  CHECK_FALSE(fs::exists(dir / "missing"));
  // Only the previous file (and the subdirectory of that section) remain: temporaries were removed.
  std::size_t files = 0;
  for (const auto& entry : fs::directory_iterator(dir.path)) files += entry.is_regular_file() ? 1 : 0;
  CHECK(files == 1);
}

TEST_CASE("read_file reports missing files directories and oversized files", "[checkpoint][io][validation]") {
  TemporaryDirectory dir;
  CHECK_THROWS_WITH(read_file(dir / "absent", 10), Catch::StartsWith(dir / "absent") && Catch::Contains("No such file"));
  CHECK_THROWS_WITH(read_file(dir.path.string(), 10), Catch::Contains("Is a directory"));
  std::ofstream(dir / "big") << std::string(11, 'x');
  CHECK_THROWS_WITH(read_file(dir / "big", 10), Catch::Contains("11 bytes") && Catch::Contains("10 allowed"));
  CHECK(read_file(dir / "big", 11).size() == 11);
}

TEST_CASE("a checkpoint survives a trip through the file system", "[checkpoint][io]") {
  TemporaryDirectory dir;
  Checkpoint checkpoint;
  checkpoint.header = {{"epoch", 2}};
  checkpoint.tensors = {{"w", Tensor(Shape{2, 3}, 1.5f)}};
  const std::string path = dir / "model.ckpt";
  write_file_atomically(path, encode_checkpoint(checkpoint));
  const Bytes bytes = read_file(path, std::size_t{1} << 20);
  const Checkpoint loaded = decode_checkpoint(bytes.data(), bytes.size(), path);
  CHECK(loaded.header == checkpoint.header);
  CHECK(loaded.tensors.at(0).second.shape() == Shape{2, 3});
  CHECK(loaded.tensors.at(0).second[5] == 1.5f);
}
