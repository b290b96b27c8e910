// Links against the installed gatehouse::verifier and checks a few answers that need no
// server: exit 0 on success.
#include <gatehouse/verifier.h>

#include <iostream>
#include <memory>

namespace gv = gatehouse::verifier;

int main() {
  gv::Verifier verifier({.issuer = "http://127.0.0.1:1/oauth/acme/production",
                         .audience = "https://orders.example",
                         .fetcher = gv::MakeHttpFetcher({.timeout = std::chrono::seconds(2)})});
  const gv::VerifyResult missing = verifier.VerifyAuthorization("", "read:orders");
  const gv::VerifyResult unreachable = verifier.Verify("a.b.c", "read:orders");
  const std::string challenge = gv::BuildWwwAuthenticate(missing, "orders");
  std::cout << missing.HttpStatus() << " " << challenge << "\n"
            << unreachable.HttpStatus() << " " << unreachable.reason << "\n";
  const bool ok = missing.HttpStatus() == 401 && challenge == "Bearer realm=\"orders\"" &&
                  unreachable.HttpStatus() == 503 && unreachable.reason == "keys_unavailable";
  return ok ? 0 : 1;
}
