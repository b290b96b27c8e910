#include "store/sqlite/sqlite_store.h"

namespace gatehouse::store::sqlite {
namespace {

constexpr const char* kProjectColumns =
    "seq, id, owner_id, name, slug, description, created_at FROM projects";

domain::Project ReadProject(const Stmt& s) {
  domain::Project p;
  p.seq = s.Int(0);
  p.id = s.Text(1);
  p.owner_id = s.Text(2);
  p.name = s.Text(3);
  p.slug = s.Text(4);
  p.description = s.Text(5);
  p.created_at = FromMillis(s.Int(6));
  return p;
}

Status InsertEnvironment(Db& db, const domain::Environment& env) {
  GH_ASSIGN_OR_RETURN(auto stmt, db.Prepare("INSERT INTO environments(id, project_id, name, slug, "
                                            "created_at) VALUES(?, ?, ?, ?, ?)"));
  stmt.Bind(1, env.id).Bind(2, env.project_id).Bind(3, env.name).Bind(4, env.slug);
  stmt.Bind(5, ToMillis(env.created_at));
  if (auto s = stmt.Run(); !s) {
    if (s.error().kind == ErrorKind::kConflict) {
      return Fail(Error::Conflict("name: an environment named \"" + env.name + "\" already exists",
                                  "name"));
    }
    return s;
  }
  return {};
}

}  // namespace

Result<std::vector<domain::Environment>> SqliteStore::LoadEnvironments(
    const std::string& project_id) {
  GH_ASSIGN_OR_RETURN(auto stmt, db_->Prepare("SELECT id, project_id, name, slug, created_at "
                                              "FROM environments WHERE project_id = ? ORDER BY "
                                              "seq"));
  stmt.Bind(1, project_id);
  std::vector<domain::Environment> envs;
  for (;;) {
    GH_ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) break;
    envs.push_back({stmt.Text(0), stmt.Text(1), stmt.Text(2), stmt.Text(3), FromMillis(stmt.Int(4)),
                    std::nullopt});
  }
  return envs;
}

Result<domain::Project> SqliteStore::LoadProject(const std::string& owner_id,
                                                 const std::string& id) {
  GH_ASSIGN_OR_RETURN(auto stmt, db_->Prepare(std::string("SELECT ") + kProjectColumns +
                                              " WHERE id = ? AND owner_id = ?"));
  stmt.Bind(1, id).Bind(2, owner_id);
  GH_ASSIGN_OR_RETURN(bool found, stmt.Step());
  if (!found) return Fail(Error::NotFound("project not found"));
  domain::Project project = ReadProject(stmt);
  GH_ASSIGN_OR_RETURN(project.environments, LoadEnvironments(project.id));
  return project;
}

Result<domain::Project> SqliteStore::CreateProject(const domain::Project& project) {
  std::lock_guard lock(db_->mutex());
  Transaction tx(*db_);
  GH_RETURN_IF_ERROR(tx.Begin());
  GH_ASSIGN_OR_RETURN(auto stmt, db_->Prepare("INSERT INTO projects(id, owner_id, name, slug, "
                                              "description, created_at) VALUES(?, ?, ?, ?, ?, ?)"));
  stmt.Bind(1, project.id).Bind(2, project.owner_id).Bind(3, project.name).Bind(4, project.slug);
  stmt.Bind(5, project.description).Bind(6, ToMillis(project.created_at));
  if (auto s = stmt.Run(); !s) {
    if (s.error().kind == ErrorKind::kConflict) {
      return Fail(Error::Conflict("slug: a project with this slug exists", "slug"));
    }
    return Fail(std::move(s.error()));
  }
  for (const auto& env : project.environments) GH_RETURN_IF_ERROR(InsertEnvironment(*db_, env));
  GH_ASSIGN_OR_RETURN(auto created, LoadProject(project.owner_id, project.id));
  GH_RETURN_IF_ERROR(tx.Commit());
  return created;
}

Result<domain::Project> SqliteStore::GetProject(const std::string& owner_id,
                                                const std::string& id) {
  std::lock_guard lock(db_->mutex());
  return LoadProject(owner_id, id);
}

Result<Page<domain::Project>> SqliteStore::ListProjects(const std::string& owner_id,
                                                        PageRequest page) {
  std::lock_guard lock(db_->mutex());
  GH_ASSIGN_OR_RETURN(auto stmt, db_->Prepare(std::string("SELECT ") + kProjectColumns +
                                              " WHERE owner_id = ? AND seq > ? ORDER BY seq "
                                              "LIMIT ?"));
  stmt.Bind(1, owner_id).Bind(2, page.after_seq).Bind(3, int64_t{page.limit} + 1);
  GH_ASSIGN_OR_RETURN(auto out, ReadPage<domain::Project>(stmt, page.limit, ReadProject));
  for (auto& p : out.items) {
    GH_ASSIGN_OR_RETURN(p.environments, LoadEnvironments(p.id));
  }
  return out;
}

Result<domain::Project> SqliteStore::UpdateProject(const std::string& owner_id,
                                                   const domain::Project& project) {
  std::lock_guard lock(db_->mutex());
  Transaction tx(*db_);
  GH_RETURN_IF_ERROR(tx.Begin());
  GH_ASSIGN_OR_RETURN(auto stmt, db_->Prepare("UPDATE projects SET name = ?, description = ? "
                                              "WHERE id = ? AND owner_id = ?"));
  stmt.Bind(1, project.name).Bind(2, project.description).Bind(3, project.id).Bind(4, owner_id);
  GH_RETURN_IF_ERROR(stmt.Run());
  if (sqlite3_changes(db_->raw()) == 0) return Fail(Error::NotFound("project not found"));
  GH_ASSIGN_OR_RETURN(auto updated, LoadProject(owner_id, project.id));
  GH_RETURN_IF_ERROR(tx.Commit());
  return updated;
}

Result<std::vector<std::string>> SqliteStore::DeleteProject(const std::string& owner_id,
                                                            const std::string& id) {
  std::lock_guard lock(db_->mutex());
  Transaction tx(*db_);
  GH_RETURN_IF_ERROR(tx.Begin());
  GH_ASSIGN_OR_RETURN(auto project, LoadProject(owner_id, id));
  GH_ASSIGN_OR_RETURN(auto stmt, db_->Prepare("DELETE FROM projects WHERE id = ?"));
  stmt.Bind(1, id);
  GH_RETURN_IF_ERROR(stmt.Run());
  GH_RETURN_IF_ERROR(tx.Commit());
  std::vector<std::string> env_ids;
  for (const auto& env : project.environments) env_ids.push_back(env.id);
  return env_ids;
}

Result<domain::Environment> SqliteStore::CreateEnvironment(const std::string& owner_id,
                                                           const domain::Environment& env) {
  std::lock_guard lock(db_->mutex());
  Transaction tx(*db_);
  GH_RETURN_IF_ERROR(tx.Begin());
  GH_RETURN_IF_ERROR(LoadProject(owner_id, env.project_id));
  GH_RETURN_IF_ERROR(InsertEnvironment(*db_, env));
  GH_RETURN_IF_ERROR(tx.Commit());
  return env;
}

Result<domain::Environment> SqliteStore::GetEnvironment(const std::string& owner_id,
                                                        const std::string& env_id) {
  std::lock_guard lock(db_->mutex());
  GH_ASSIGN_OR_RETURN(auto stmt,
                      db_->Prepare("SELECT e.id, e.project_id, e.name, e.slug, e.created_at FROM "
                                   "environments e JOIN projects p ON p.id = e.project_id "
                                   "WHERE e.id = ? AND p.owner_id = ?"));
  stmt.Bind(1, env_id).Bind(2, owner_id);
  GH_ASSIGN_OR_RETURN(bool found, stmt.Step());
  if (!found) return Fail(Error::NotFound("environment not found"));
  domain::Environment env{
      stmt.Text(0), stmt.Text(1), stmt.Text(2), stmt.Text(3), FromMillis(stmt.Int(4)),
      std::nullopt};
  GH_ASSIGN_OR_RETURN(env.rate_limit, LoadRateLimit(*db_, env.id));
  return env;
}

Result<domain::Environment> SqliteStore::UpdateEnvironment(const std::string& owner_id,
                                                           const domain::Environment& env) {
  {
    std::lock_guard lock(db_->mutex());
    GH_ASSIGN_OR_RETURN(auto stmt,
                        db_->Prepare("SELECT 1 FROM environments e JOIN projects p ON p.id = "
                                     "e.project_id WHERE e.id = ? AND p.owner_id = ?"));
    stmt.Bind(1, env.id).Bind(2, owner_id);
    GH_ASSIGN_OR_RETURN(bool found, stmt.Step());
    if (!found) return Fail(Error::NotFound("environment not found"));
    GH_RETURN_IF_ERROR(WriteRateLimit(env.id, env.id, env.rate_limit));
  }
  return GetEnvironment(owner_id, env.id);
}

Result<std::optional<domain::RateLimit>> SqliteStore::LoadRateLimit(Db& db,
                                                                    const std::string& target_id) {
  GH_ASSIGN_OR_RETURN(auto stmt,
                      db.Prepare("SELECT milli_rps, burst FROM rate_limits WHERE target_id = ?"));
  stmt.Bind(1, target_id);
  GH_ASSIGN_OR_RETURN(bool found, stmt.Step());
  if (!found) return std::optional<domain::RateLimit>();
  return std::optional<domain::RateLimit>(
      domain::RateLimit{static_cast<double>(stmt.Int(0)) / 1000.0, stmt.Int(1)});
}

Status SqliteStore::WriteRateLimit(const std::string& env_id, const std::string& target_id,
                                   const std::optional<domain::RateLimit>& limit) {
  if (!limit) {
    GH_ASSIGN_OR_RETURN(auto del, db_->Prepare("DELETE FROM rate_limits WHERE target_id = ?"));
    del.Bind(1, target_id);
    return del.Run();
  }
  GH_ASSIGN_OR_RETURN(auto stmt, db_->Prepare("INSERT OR REPLACE INTO rate_limits(target_id, "
                                              "environment_id, milli_rps, burst) "
                                              "VALUES(?, ?, ?, ?)"));
  stmt.Bind(1, target_id).Bind(2, env_id);
  stmt.Bind(3, static_cast<int64_t>(limit->requests_per_second * 1000.0 + 0.5));
  stmt.Bind(4, limit->burst);
  return stmt.Run();
}

Result<std::vector<std::string>> SqliteStore::ListEnvironmentIds() {
  std::lock_guard lock(db_->mutex());
  GH_ASSIGN_OR_RETURN(auto stmt, db_->Prepare("SELECT id FROM environments ORDER BY seq"));
  std::vector<std::string> ids;
  for (;;) {
    GH_ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) break;
    ids.push_back(stmt.Text(0));
  }
  return ids;
}

}  // namespace gatehouse::store::sqlite
