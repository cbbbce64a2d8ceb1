#include "io/atomic_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <stdexcept>

namespace profundo {

namespace {

[[noreturn]] void fail(const std::string& path, const std::string& what, int error) {
  throw std::runtime_error(path + ": " + what + " (" + std::strerror(error) + ")");
}

std::string directory_of(const std::string& path) {
  const std::size_t slash = path.find_last_of('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

// Creates a new temporary file beside `path` (same directory, so the rename cannot cross file systems).
// Mode 0666 lets the umask decide, as for a file created directly.
int create_temporary(const std::string& path, std::string& temporary) {
  static std::atomic<unsigned> counter{0};
  for (int attempt = 0; attempt < 100; ++attempt) {
    temporary = path + ".tmp-" + std::to_string(::getpid()) + "-" + std::to_string(counter++);
    const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd >= 0 || errno != EEXIST) return fd;
  }
  errno = EEXIST;
  return -1;
}

bool write_all(int fd, const std::uint8_t* bytes, std::size_t size) {
  while (size > 0) {
    const ssize_t written = ::write(fd, bytes, size);
    if (written < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    bytes += written;
    size -= static_cast<std::size_t>(written);
  }
  return true;
}

// Makes the rename itself durable. Best effort: some file systems refuse fsync on a directory.
void sync_directory(const std::string& directory) {
  const int fd = ::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;
  ::fsync(fd);
  ::close(fd);
}

}  // namespace

void write_file_atomically(const std::string& path, const std::vector<std::uint8_t>& bytes) {
  std::string temporary;
  const int fd = create_temporary(path, temporary);
  if (fd < 0) {
    const int error = errno;
    fail(path, "cannot create a temporary file in " + directory_of(path), error);
  }

  // errno is read first: close and unlink may change it.
  const auto abandon = [&](const char* what, bool still_open) {
    const int error = errno;
    if (still_open) ::close(fd);
    ::unlink(temporary.c_str());
    fail(path, what, error);
  };
  if (!write_all(fd, bytes.data(), bytes.size())) abandon("cannot write", true);
  if (::fsync(fd) != 0) abandon("cannot flush to disk", true);
  // close can report a deferred write error (e.g. on network file systems).
  if (::close(fd) != 0) abandon("cannot close", false);
  if (std::rename(temporary.c_str(), path.c_str()) != 0) abandon("cannot replace the file", false);
  sync_directory(directory_of(path));
}

std::vector<std::uint8_t> read_file(const std::string& path, std::size_t max_bytes) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    const int error = errno;
    fail(path, "cannot open", error);
  }
  struct Closer {
    int fd;
    ~Closer() { ::close(fd); }
  } closer{fd};

  struct stat info {};
  if (::fstat(fd, &info) != 0) {
    const int error = errno;
    fail(path, "cannot read", error);
  }
  if (S_ISDIR(info.st_mode)) fail(path, "cannot read", EISDIR);
  if (S_ISREG(info.st_mode) && static_cast<std::uint64_t>(info.st_size) > max_bytes)
    throw std::runtime_error(path + ": the file has " + std::to_string(info.st_size) + " bytes, more than the " +
                             std::to_string(max_bytes) + " allowed");

  // Read until end of file rather than trusting st_size: the file may change, or not be a regular file.
  std::vector<std::uint8_t> bytes;
  if (S_ISREG(info.st_mode)) bytes.reserve(static_cast<std::size_t>(info.st_size));
  std::uint8_t chunk[1 << 16];
  for (;;) {
    const ssize_t got = ::read(fd, chunk, sizeof chunk);
    if (got < 0) {
      const int error = errno;
      if (error == EINTR) continue;
      fail(path, "cannot read", error);
    }
    if (got == 0) break;
    if (bytes.size() + static_cast<std::size_t>(got) > max_bytes)
      throw std::runtime_error(path + ": larger than the " + std::to_string(max_bytes) + " bytes allowed");
    bytes.insert(bytes.end(), chunk, chunk + got);
  }
  return bytes;
}

}  // namespace profundo
