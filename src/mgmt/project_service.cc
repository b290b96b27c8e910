#include "mgmt/project_service.h"

#include <set>

#include "domain/validation.h"

namespace gatehouse::mgmt {

Result<std::vector<domain::Environment>> ProjectService::NewEnvironments(
    const std::string& project_id, const std::vector<std::string>& names) {
  if (names.empty() || names.size() > 20) {
    return Fail(
        Error::InvalidRequest("environments: give 1 to 20 environment names", "environments"));
  }
  std::vector<domain::Environment> envs;
  std::set<std::string> slugs;
  for (const auto& raw : names) {
    GH_ASSIGN_OR_RETURN(std::string name, domain::ValidateName(raw, "environments"));
    std::string slug = domain::Slugify(name);
    if (!slugs.insert(slug).second) {
      return Fail(Error::InvalidRequest(
          "environments: \"" + name + "\" appears twice (names are compared as slugs)",
          "environments"));
    }
    envs.push_back({deps_.NewId("env_"), project_id, std::move(name), std::move(slug),
                    deps_.clock.Now(), std::nullopt});
  }
  return envs;
}

Result<domain::Project> ProjectService::Create(const std::string& owner_id,
                                               const ProjectInput& input) {
  if (!input.name) return Fail(Error::InvalidRequest("name: is required", "name"));
  domain::Project project;
  GH_ASSIGN_OR_RETURN(project.name, domain::ValidateName(*input.name, "name"));
  GH_ASSIGN_OR_RETURN(project.description,
                      domain::ValidateDescription(input.description.value_or(""), "description"));
  project.id = deps_.NewId("prj_");
  project.owner_id = owner_id;
  project.created_at = deps_.clock.Now();
  GH_ASSIGN_OR_RETURN(
      project.environments,
      NewEnvironments(project.id, input.environments.value_or(
                                      std::vector<std::string>{"development", "production"})));
  // Slugs are global (they are part of the issuer URL): on a clash add a random suffix.
  const std::string base = domain::Slugify(project.name);
  for (int attempt = 0;; ++attempt) {
    project.slug = attempt == 0 ? base : base + "-" + deps_.random.Hex(3);
    auto created = deps_.store.CreateProject(project);
    if (created) {
      for (const auto& env : created->environments)
        GH_RETURN_IF_ERROR(deps_.registry.Reload(env.id));
      return created;
    }
    if (created.error().kind != ErrorKind::kConflict || created.error().field != "slug" ||
        attempt >= 8) {
      return Fail(std::move(created.error()));
    }
  }
}

Result<domain::Project> ProjectService::Get(const std::string& owner_id, const std::string& id) {
  return deps_.store.GetProject(owner_id, id);
}

Result<store::Page<domain::Project>> ProjectService::List(const std::string& owner_id,
                                                          store::PageRequest page) {
  return deps_.store.ListProjects(owner_id, page);
}

Result<domain::Project> ProjectService::Update(const std::string& owner_id, const std::string& id,
                                               const ProjectInput& input) {
  if (input.environments) {
    return Fail(Error::InvalidRequest(
        "environments: cannot be changed here; use POST /api/v1/projects/{id}/environments",
        "environments"));
  }
  GH_ASSIGN_OR_RETURN(auto project, deps_.store.GetProject(owner_id, id));
  if (input.name) {
    GH_ASSIGN_OR_RETURN(project.name, domain::ValidateName(*input.name, "name"));
  }
  if (input.description) {
    GH_ASSIGN_OR_RETURN(project.description,
                        domain::ValidateDescription(*input.description, "description"));
  }
  return deps_.store.UpdateProject(owner_id, project);
}

Status ProjectService::Delete(const std::string& owner_id, const std::string& id) {
  GH_ASSIGN_OR_RETURN(auto env_ids, deps_.store.DeleteProject(owner_id, id));
  for (const auto& env_id : env_ids) deps_.registry.Remove(env_id);
  return {};
}

Result<domain::Environment> ProjectService::CreateEnvironment(const std::string& owner_id,
                                                              const std::string& project_id,
                                                              std::string_view name) {
  GH_RETURN_IF_ERROR(domain::ValidateName(name, "name"));
  GH_ASSIGN_OR_RETURN(auto envs, NewEnvironments(project_id, {std::string(name)}));
  GH_ASSIGN_OR_RETURN(auto env, deps_.store.CreateEnvironment(owner_id, envs.front()));
  GH_RETURN_IF_ERROR(deps_.registry.Reload(env.id));
  return env;
}

Result<domain::Environment> ProjectService::GetEnvironment(const std::string& owner_id,
                                                           const std::string& env_id) {
  return deps_.store.GetEnvironment(owner_id, env_id);
}

}  // namespace gatehouse::mgmt
