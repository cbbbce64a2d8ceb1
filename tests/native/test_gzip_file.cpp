#include "io/gzip_file.hpp"

#include <zlib.h>

#include <catch2/catch.hpp>

#include <cstdio>
#include <fstream>

using namespace profundo;

namespace {
std::string temp_path(const std::string& name) { return std::string(P_tmpdir) + "/profundo-test-" + name; }

void write_gzip(const std::string& path, const std::string& text) {
  gzFile file = gzopen(path.c_str(), "wb");
  gzwrite(file, text.data(), static_cast<unsigned>(text.size()));
  gzclose(file);
}
}  // namespace

TEST_CASE("gzip and plain files are read whole", "[io]") {
  const std::string gz = temp_path("a.gz"), plain = temp_path("a.txt");
  write_gzip(gz, std::string(100000, 'x') + "end");
  std::ofstream(plain) << "plain";
  const auto unzipped = read_maybe_gzip_file(gz);
  CHECK(unzipped.size() == 100003);
  CHECK(unzipped.back() == 'd');
  CHECK(read_maybe_gzip_file(plain).size() == 5);
  std::remove(gz.c_str());
  std::remove(plain.c_str());
}

TEST_CASE("missing or truncated or oversized gzip files give errors naming the file", "[io][validation]") {
  CHECK_THROWS_WITH(read_maybe_gzip_file("/nonexistent/file.gz"), Catch::Contains("/nonexistent/file.gz"));

  const std::string gz = temp_path("t.gz");
  std::string text;
  for (int i = 0; i < 200000; ++i) text += static_cast<char>('a' + (i * 7919) % 26);
  write_gzip(gz, text);
  std::ifstream in(gz, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  in.close();

  const std::string truncated = temp_path("truncated.gz");
  std::ofstream(truncated, std::ios::binary) << bytes.substr(0, bytes.size() / 2);
  CHECK_THROWS_WITH(read_maybe_gzip_file(truncated), Catch::Contains("truncated.gz") && Catch::Contains("gzip"));

  const std::string corrupt = temp_path("corrupt.gz");
  std::string damaged = bytes;
  for (std::size_t i = 20; i < 60; ++i) damaged[i] = static_cast<char>(damaged[i] ^ 0x5a);
  std::ofstream(corrupt, std::ios::binary) << damaged;
  CHECK_THROWS_WITH(read_maybe_gzip_file(corrupt), Catch::Contains("corrupt.gz"));

  CHECK_THROWS_WITH(read_maybe_gzip_file(gz, 1000), Catch::Contains("larger than 1000"));
  for (const auto& path : {gz, truncated, corrupt}) std::remove(path.c_str());
}
