#include <boost/json.hpp>

#include "store/sqlite/sqlite_store.h"

namespace gatehouse::store::sqlite {
namespace {

constexpr const char* kAuditColumns =
    "seq, at, type, project_id, environment_id, actor, client_id, ip, request_id, detail "
    "FROM audit_events";

domain::AuditEvent ReadAudit(const Stmt& s) {
  domain::AuditEvent e;
  e.seq = s.Int(0);
  e.at = FromMillis(s.Int(1));
  e.type = s.Text(2);
  e.project_id = s.Text(3);
  e.environment_id = s.Text(4);
  e.actor = s.Text(5);
  e.client_id = s.Text(6);
  e.ip = s.Text(7);
  e.request_id = s.Text(8);
  e.detail = s.Text(9);
  return e;
}

constexpr const char* kDeliveryColumns =
    "seq, id, webhook_id, event, payload, attempts, state, next_attempt_at, last_status, "
    "last_error, created_at FROM webhook_deliveries";

domain::WebhookDelivery ReadDelivery(const Stmt& s) {
  domain::WebhookDelivery d;
  d.seq = s.Int(0);
  d.id = s.Text(1);
  d.webhook_id = s.Text(2);
  d.event = s.Text(3);
  d.payload = s.Text(4);
  d.attempts = static_cast<int>(s.Int(5));
  d.state = s.Text(6);
  d.next_attempt_at = FromMillis(s.Int(7));
  if (auto st = s.OptionalInt(8)) d.last_status = static_cast<int>(*st);
  d.last_error = s.Text(9);
  d.created_at = FromMillis(s.Int(10));
  return d;
}

domain::Webhook ReadWebhook(const Stmt& s) {
  domain::Webhook w;
  w.seq = s.Int(0);
  w.id = s.Text(1);
  w.project_id = s.Text(2);
  w.url = s.Text(3);
  boost::system::error_code ec;
  auto events = boost::json::parse(s.Text(4), ec);
  if (!ec && events.is_array()) {
    for (const auto& e : events.as_array()) {
      if (e.is_string()) w.events.emplace_back(e.as_string());
    }
  }
  w.sealed_secret = s.Text(5);
  w.created_at = FromMillis(s.Int(6));
  return w;
}

constexpr int64_t kNoUpperBound = INT64_MAX;

}  // namespace

Status SqliteStore::AppendAuditEvents(const std::vector<domain::AuditEvent>& events) {
  std::lock_guard lock(db_->mutex());
  Transaction tx(*db_);
  GH_RETURN_IF_ERROR(tx.Begin());
  GH_ASSIGN_OR_RETURN(auto stmt, db_->Prepare("INSERT INTO audit_events(at, type, project_id, "
                                              "environment_id, actor, client_id, ip, "
                                              "request_id, detail) VALUES(?,?,?,?,?,?,?,?,?)"));
  for (const auto& e : events) {
    stmt.Reset();
    stmt.Bind(1, ToMillis(e.at)).Bind(2, e.type).Bind(3, e.project_id).Bind(4, e.environment_id);
    stmt.Bind(5, e.actor).Bind(6, e.client_id).Bind(7, e.ip).Bind(8, e.request_id);
    stmt.Bind(9, e.detail);
    GH_RETURN_IF_ERROR(stmt.Run());
  }
  return tx.Commit();
}

Result<Page<domain::AuditEvent>> SqliteStore::ListAuditEvents(const domain::AuditFilter& f,
                                                              PageRequest page) {
  std::lock_guard lock(db_->mutex());
  std::string sql = std::string("SELECT ") + kAuditColumns + " WHERE seq < ?";
  sql += !f.environment_id.empty() ? " AND environment_id = ?"
         : !f.project_id.empty()   ? " AND project_id = ?"
                                   : " AND actor = ?";
  if (!f.type.empty()) sql += f.type.back() == '.' ? " AND type LIKE ? || '%'" : " AND type = ?";
  if (!f.client_id.empty()) sql += " AND client_id = ?";
  if (f.since) sql += " AND at >= ?";
  if (f.until) sql += " AND at <= ?";
  sql += " ORDER BY seq DESC LIMIT ?";
  GH_ASSIGN_OR_RETURN(auto stmt, db_->Prepare(sql));
  int i = 1;
  stmt.Bind(i++, page.after_seq > 0 ? page.after_seq : kNoUpperBound);
  stmt.Bind(i++, !f.environment_id.empty() ? f.environment_id
                 : !f.project_id.empty()   ? f.project_id
                                           : f.actor);
  if (!f.type.empty()) stmt.Bind(i++, f.type);
  if (!f.client_id.empty()) stmt.Bind(i++, f.client_id);
  if (f.since) stmt.Bind(i++, ToMillis(*f.since));
  if (f.until) stmt.Bind(i++, ToMillis(*f.until));
  stmt.Bind(i++, int64_t{page.limit} + 1);
  return ReadPage<domain::AuditEvent>(stmt, page.limit, ReadAudit);
}

Result<int64_t> SqliteStore::PurgeAuditEvents(TimePoint before) {
  std::lock_guard lock(db_->mutex());
  GH_ASSIGN_OR_RETURN(auto stmt, db_->Prepare("DELETE FROM audit_events WHERE at < ?"));
  stmt.Bind(1, ToMillis(before));
  GH_RETURN_IF_ERROR(stmt.Run());
  return static_cast<int64_t>(sqlite3_changes(db_->raw()));
}

Status SqliteStore::CreateAlert(const domain::Alert& a) {
  std::lock_guard lock(db_->mutex());
  GH_ASSIGN_OR_RETURN(auto stmt, db_->Prepare("INSERT INTO alerts(id, project_id, environment_id, "
                                              "type, message, detail, created_at) "
                                              "VALUES(?,?,?,?,?,?,?)"));
  stmt.Bind(1, a.id).Bind(2, a.project_id).Bind(3, a.environment_id).Bind(4, a.type);
  stmt.Bind(5, a.message).Bind(6, a.detail).Bind(7, ToMillis(a.created_at));
  return stmt.Run();
}

Result<Page<domain::Alert>> SqliteStore::ListAlerts(const std::string& env_id, PageRequest page) {
  std::lock_guard lock(db_->mutex());
  GH_ASSIGN_OR_RETURN(auto stmt,
                      db_->Prepare("SELECT seq, id, project_id, environment_id, type, message, "
                                   "detail, created_at FROM alerts WHERE environment_id = ? AND "
                                   "seq < ? ORDER BY seq DESC LIMIT ?"));
  stmt.Bind(1, env_id).Bind(2, page.after_seq > 0 ? page.after_seq : kNoUpperBound);
  stmt.Bind(3, int64_t{page.limit} + 1);
  return ReadPage<domain::Alert>(stmt, page.limit, [](const Stmt& s) {
    return domain::Alert{s.Int(0),  s.Text(1), s.Text(2), s.Text(3),
                         s.Text(4), s.Text(5), s.Text(6), FromMillis(s.Int(7))};
  });
}

Status SqliteStore::CreateWebhook(const domain::Webhook& w) {
  std::lock_guard lock(db_->mutex());
  boost::json::array events;
  for (const auto& e : w.events) events.emplace_back(e);
  GH_ASSIGN_OR_RETURN(auto stmt, db_->Prepare("INSERT INTO webhooks(id, project_id, url, events, "
                                              "sealed_secret, created_at) VALUES(?,?,?,?,?,?)"));
  stmt.Bind(1, w.id).Bind(2, w.project_id).Bind(3, w.url).Bind(4, boost::json::serialize(events));
  stmt.BindBlob(5, w.sealed_secret).Bind(6, ToMillis(w.created_at));
  return stmt.Run();
}

Result<std::vector<domain::Webhook>> SqliteStore::ListWebhooks(const std::string& project_id) {
  std::lock_guard lock(db_->mutex());
  GH_ASSIGN_OR_RETURN(auto stmt,
                      db_->Prepare("SELECT seq, id, project_id, url, events, sealed_secret, "
                                   "created_at FROM webhooks WHERE project_id = ? ORDER BY seq"));
  stmt.Bind(1, project_id);
  std::vector<domain::Webhook> out;
  for (;;) {
    GH_ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) break;
    out.push_back(ReadWebhook(stmt));
  }
  return out;
}

Result<domain::Webhook> SqliteStore::GetWebhook(const std::string& project_id,
                                                const std::string& id) {
  std::lock_guard lock(db_->mutex());
  GH_ASSIGN_OR_RETURN(auto stmt, db_->Prepare("SELECT seq, id, project_id, url, events, "
                                              "sealed_secret, created_at FROM webhooks WHERE "
                                              "project_id = ? AND id = ?"));
  stmt.Bind(1, project_id).Bind(2, id);
  GH_ASSIGN_OR_RETURN(bool found, stmt.Step());
  if (!found) return Fail(Error::NotFound("webhook not found"));
  return ReadWebhook(stmt);
}

Status SqliteStore::DeleteWebhook(const std::string& project_id, const std::string& id) {
  std::lock_guard lock(db_->mutex());
  GH_ASSIGN_OR_RETURN(auto stmt,
                      db_->Prepare("DELETE FROM webhooks WHERE project_id = ? AND id = ?"));
  stmt.Bind(1, project_id).Bind(2, id);
  GH_RETURN_IF_ERROR(stmt.Run());
  if (sqlite3_changes(db_->raw()) == 0) return Fail(Error::NotFound("webhook not found"));
  return {};
}

Status SqliteStore::CreateDelivery(const domain::WebhookDelivery& d) {
  std::lock_guard lock(db_->mutex());
  GH_ASSIGN_OR_RETURN(auto stmt,
                      db_->Prepare("INSERT INTO webhook_deliveries(id, webhook_id, event, payload, "
                                   "attempts, state, next_attempt_at, last_status, last_error, "
                                   "created_at) VALUES(?,?,?,?,?,?,?,NULL,'',?)"));
  stmt.Bind(1, d.id).Bind(2, d.webhook_id).Bind(3, d.event).Bind(4, d.payload);
  stmt.Bind(5, int64_t{d.attempts}).Bind(6, d.state).Bind(7, ToMillis(d.next_attempt_at));
  stmt.Bind(8, ToMillis(d.created_at));
  return stmt.Run();
}

Status SqliteStore::UpdateDelivery(const domain::WebhookDelivery& d) {
  std::lock_guard lock(db_->mutex());
  GH_ASSIGN_OR_RETURN(auto stmt, db_->Prepare("UPDATE webhook_deliveries SET attempts = ?, "
                                              "state = ?, next_attempt_at = ?, last_status = ?, "
                                              "last_error = ? WHERE id = ?"));
  stmt.Bind(1, int64_t{d.attempts}).Bind(2, d.state).Bind(3, ToMillis(d.next_attempt_at));
  if (d.last_status) {
    stmt.Bind(4, int64_t{*d.last_status});
  } else {
    stmt.BindNull(4);
  }
  stmt.Bind(5, d.last_error).Bind(6, d.id);
  return stmt.Run();
}

Result<std::vector<domain::WebhookDelivery>> SqliteStore::DueDeliveries(TimePoint now, int limit) {
  std::lock_guard lock(db_->mutex());
  GH_ASSIGN_OR_RETURN(auto stmt, db_->Prepare(std::string("SELECT ") + kDeliveryColumns +
                                              " WHERE state = 'pending' AND next_attempt_at <= ? "
                                              "ORDER BY next_attempt_at LIMIT ?"));
  stmt.Bind(1, ToMillis(now)).Bind(2, int64_t{limit});
  std::vector<domain::WebhookDelivery> out;
  for (;;) {
    GH_ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) break;
    out.push_back(ReadDelivery(stmt));
  }
  return out;
}

Result<Page<domain::WebhookDelivery>> SqliteStore::ListDeliveries(const std::string& webhook_id,
                                                                  PageRequest page) {
  std::lock_guard lock(db_->mutex());
  GH_ASSIGN_OR_RETURN(auto stmt, db_->Prepare(std::string("SELECT ") + kDeliveryColumns +
                                              " WHERE webhook_id = ? AND seq < ? ORDER BY seq "
                                              "DESC LIMIT ?"));
  stmt.Bind(1, webhook_id).Bind(2, page.after_seq > 0 ? page.after_seq : kNoUpperBound);
  stmt.Bind(3, int64_t{page.limit} + 1);
  return ReadPage<domain::WebhookDelivery>(stmt, page.limit, ReadDelivery);
}

}  // namespace gatehouse::store::sqlite
