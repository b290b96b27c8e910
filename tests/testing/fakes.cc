#include "testing/fakes.h"

#include <cstdlib>
#include <vector>

namespace gatehouse::test {

TempDir::TempDir() {
  std::string tmpl = (std::filesystem::temp_directory_path() / "gatehouse-test-XXXXXX").string();
  std::vector<char> buf(tmpl.begin(), tmpl.end());
  buf.push_back('\0');
  path_ = ::mkdtemp(buf.data());
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

}  // namespace gatehouse::test
