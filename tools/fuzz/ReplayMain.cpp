//===- ReplayMain.cpp - Run a fuzz entry point over files -----------------===//
//
// The main() of the fuzz harnesses in a build without libFuzzer: runs
// LLVMFuzzerTestOneInput once per file named on the command line (folders are
// walked recursively), so the regression corpus replays in every test run.
// Exits 0 when every input returned; a crash is the failure.
//
//===----------------------------------------------------------------------===//

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdint>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool runOne(const std::string &path) {
  auto buffer = llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                            /*RequiresNullTerminator=*/false);
  if (!buffer) {
    llvm::errs() << "error: cannot read '" << path
                 << "': " << buffer.getError().message() << "\n";
    return false;
  }
  llvm::StringRef bytes = (*buffer)->getBuffer();
  LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t *>(bytes.data()),
                         bytes.size());
  return true;
}

int main(int argc, char **argv) {
  if (argc < 2) {
    llvm::errs() << "usage: " << argv[0] << " FILE-OR-DIR...\n"
                 << "Runs the fuzz entry point once per input file.\n";
    return 2;
  }
  size_t count = 0;
  bool ok = true;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (!llvm::sys::fs::is_directory(arg)) {
      ok &= runOne(arg);
      ++count;
      continue;
    }
    std::error_code ec;
    std::vector<std::string> files;
    for (llvm::sys::fs::recursive_directory_iterator it(arg, ec), end;
         it != end && !ec; it.increment(ec))
      if (llvm::sys::fs::is_regular_file(it->path()))
        files.push_back(it->path());
    if (ec) {
      llvm::errs() << "error: cannot list '" << arg << "': " << ec.message()
                   << "\n";
      ok = false;
    }
    llvm::sort(files); // Stable order for reproducible logs.
    for (const std::string &file : files) {
      ok &= runOne(file);
      ++count;
    }
  }
  llvm::outs() << "replayed " << count << " inputs\n";
  return ok ? 0 : 1;
}
