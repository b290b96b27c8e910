#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "domain/model.h"
#include "mgmt/deps.h"

namespace gatehouse::mgmt {

struct ProjectInput {
  std::optional<std::string> name;
  std::optional<std::string> description;
  std::optional<std::vector<std::string>> environments;  // names; create only
};

// Projects and environments of one developer. Other developers' objects are NotFound.
class ProjectService {
 public:
  explicit ProjectService(Deps& deps) : deps_(deps) {}

  // Defaults: description "", environments ["development", "production"]. The project slug
  // is derived from the name and made globally unique; it never changes afterwards.
  Result<domain::Project> Create(const std::string& owner_id, const ProjectInput& input);
  Result<domain::Project> Get(const std::string& owner_id, const std::string& id);
  Result<store::Page<domain::Project>> List(const std::string& owner_id, store::PageRequest page);
  // Renames or re-describes; the slug (and so every issuer) stays.
  Result<domain::Project> Update(const std::string& owner_id, const std::string& id,
                                 const ProjectInput& input);
  Status Delete(const std::string& owner_id, const std::string& id);
  Result<domain::Environment> CreateEnvironment(const std::string& owner_id,
                                                const std::string& project_id,
                                                std::string_view name);
  // The environment, if `owner_id` owns its project; NotFound otherwise.
  Result<domain::Environment> GetEnvironment(const std::string& owner_id,
                                             const std::string& env_id);

 private:
  Result<std::vector<domain::Environment>> NewEnvironments(const std::string& project_id,
                                                           const std::vector<std::string>& names);
  Deps& deps_;
};

}  // namespace gatehouse::mgmt
