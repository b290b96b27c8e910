#pragma once

#include "common/result.h"
#include "store/sqlite/db.h"

namespace gatehouse::store::sqlite {

// Applies every migration newer than the database's version, each in its own transaction,
// recording it in schema_migrations. Idempotent. Refuses a database newer than this binary.
// Returns the schema version now in force.
Result<int> Migrate(Db& db);

// The version this binary knows.
int LatestSchemaVersion();

}  // namespace gatehouse::store::sqlite
