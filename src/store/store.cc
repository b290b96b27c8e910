#include "store/store.h"

namespace gatehouse::store {

Result<EnvironmentConfig> ProjectStore::LoadEnvironmentConfig(const std::string& env_id) {
  struct Collect final : EnvironmentConfigVisitor {
    EnvironmentConfig config;
    Status Config(EnvironmentConfig c) override {
      config = std::move(c);
      config.clients.reserve(config.client_count);
      return {};
    }
    Status Client(domain::Client client) override {
      config.clients.push_back(std::move(client));
      return {};
    }
  } collect;
  GH_RETURN_IF_ERROR(VisitEnvironmentConfig(env_id, collect));
  return std::move(collect.config);
}

}  // namespace gatehouse::store
