namespace Pds.Sqlite;

/// <summary>
/// The schema, one constant per version (see <see cref="SqliteMigrations"/>). Conventions: times
/// are INTEGER UTC ticks; CIDs are binary in the repo tables (compact keys) and strings in the
/// blob tables (the listing order the API promises is by CID string); handles and emails are
/// stored lower-case so plain UNIQUE gives case-insensitive uniqueness.
/// </summary>
internal static class SqliteSchema
{
    public const string V1 = """
        CREATE TABLE repo_head (
            did          TEXT PRIMARY KEY,
            commit_cid   BLOB NOT NULL,
            rev          TEXT NOT NULL,
            commit_bytes BLOB NOT NULL
        );
        -- rev: the commit that first wrote the block (a TID; TIDs order as strings).
        CREATE TABLE repo_block (
            did  TEXT NOT NULL,
            cid  BLOB NOT NULL,
            data BLOB NOT NULL,
            rev  TEXT NOT NULL,
            PRIMARY KEY (did, cid)
        );
        CREATE INDEX repo_block_by_rev ON repo_block (did, rev);
        CREATE TABLE repo_record (
            did        TEXT NOT NULL,
            collection TEXT NOT NULL,
            rkey       TEXT NOT NULL,
            cid        BLOB NOT NULL,
            PRIMARY KEY (did, collection, rkey)
        ) WITHOUT ROWID;

        -- Unsequenced events; id keeps append order (AUTOINCREMENT never reuses an id).
        CREATE TABLE event_outbox (
            id       INTEGER PRIMARY KEY AUTOINCREMENT,
            event_id TEXT NOT NULL UNIQUE,
            did      TEXT NOT NULL,
            type     TEXT NOT NULL,
            body     BLOB NOT NULL,
            time     INTEGER NOT NULL
        );
        CREATE TABLE event_log (
            seq   INTEGER PRIMARY KEY,
            did   TEXT NOT NULL,
            type  TEXT NOT NULL,
            frame BLOB NOT NULL,
            time  INTEGER NOT NULL
        );
        CREATE INDEX event_log_by_time ON event_log (time);
        -- The last seq ever assigned, kept apart from event_log so trimming cannot lose it.
        CREATE TABLE event_state (
            id       INTEGER PRIMARY KEY CHECK (id = 1),
            last_seq INTEGER NOT NULL
        );

        CREATE TABLE account (
            did           TEXT PRIMARY KEY,
            handle        TEXT NOT NULL UNIQUE,
            email         TEXT UNIQUE,
            password_hash TEXT NOT NULL,
            status        TEXT NOT NULL,
            created_at    INTEGER NOT NULL,
            invited_by    TEXT
        );
        CREATE TABLE refresh_token (
            id                TEXT PRIMARY KEY,
            did               TEXT NOT NULL,
            app_password_name TEXT,
            expires_at        INTEGER NOT NULL,
            next_id           TEXT
        );
        CREATE INDEX refresh_token_by_did ON refresh_token (did);
        CREATE TABLE app_password (
            did           TEXT NOT NULL,
            name          TEXT NOT NULL,
            password_hash TEXT NOT NULL,
            privileged    INTEGER NOT NULL,
            created_at    INTEGER NOT NULL,
            PRIMARY KEY (did, name)
        ) WITHOUT ROWID;
        CREATE TABLE invite_code (
            code           TEXT PRIMARY KEY,
            available_uses INTEGER NOT NULL,
            for_account    TEXT NOT NULL,
            created_by     TEXT NOT NULL,
            created_at     INTEGER NOT NULL,
            disabled       INTEGER NOT NULL
        );
        CREATE INDEX invite_code_by_account ON invite_code (for_account);
        CREATE TABLE invite_use (
            id      INTEGER PRIMARY KEY,
            code    TEXT NOT NULL REFERENCES invite_code (code) ON DELETE CASCADE,
            used_by TEXT NOT NULL,
            used_at INTEGER NOT NULL
        );
        CREATE INDEX invite_use_by_code ON invite_use (code);
        CREATE TABLE preference (
            did   TEXT NOT NULL,
            scope TEXT NOT NULL,
            json  BLOB NOT NULL,
            PRIMARY KEY (did, scope)
        );

        CREATE TABLE blob (
            did        TEXT NOT NULL,
            cid        TEXT NOT NULL,
            mime_type  TEXT NOT NULL,
            size       INTEGER NOT NULL,
            temp_key   TEXT,
            created_at INTEGER NOT NULL,
            PRIMARY KEY (did, cid)
        ) WITHOUT ROWID;
        CREATE TABLE record_blob (
            did         TEXT NOT NULL,
            record_path TEXT NOT NULL,
            cid         TEXT NOT NULL,
            PRIMARY KEY (did, record_path, cid)
        ) WITHOUT ROWID;
        CREATE INDEX record_blob_by_cid ON record_blob (did, cid);

        -- Private scalars sealed with AES-GCM under the host's master key; public keys in clear.
        CREATE TABLE signing_key (
            did        TEXT PRIMARY KEY,
            key_type   TEXT NOT NULL,
            public_key BLOB NOT NULL,
            nonce      BLOB NOT NULL,
            ciphertext BLOB NOT NULL,
            tag        BLOB NOT NULL,
            created_at INTEGER NOT NULL
        );
        CREATE TABLE reserved_key (
            reservation_id TEXT PRIMARY KEY,
            key_type       TEXT NOT NULL,
            public_key     BLOB NOT NULL,
            nonce          BLOB NOT NULL,
            ciphertext     BLOB NOT NULL,
            tag            BLOB NOT NULL,
            created_at     INTEGER NOT NULL
        );
        -- A known plaintext sealed under the master key, so a wrong key fails at startup.
        CREATE TABLE key_check (
            id         INTEGER PRIMARY KEY CHECK (id = 1),
            nonce      BLOB NOT NULL,
            ciphertext BLOB NOT NULL,
            tag        BLOB NOT NULL
        );
        """;

    /// <summary>
    /// Blocks clustered by (did, cid): a point read is one b-tree search instead of index then
    /// table, and reading a whole repository (getRepo) walks adjacent pages instead of jumping
    /// to a table row per block. SQLite cannot change a table to WITHOUT ROWID in place, so the
    /// rows are copied once.
    /// </summary>
    public const string V2 = """
        CREATE TABLE repo_block_clustered (
            did  TEXT NOT NULL,
            cid  BLOB NOT NULL,
            data BLOB NOT NULL,
            rev  TEXT NOT NULL,
            PRIMARY KEY (did, cid)
        ) WITHOUT ROWID;
        INSERT INTO repo_block_clustered (did, cid, data, rev) SELECT did, cid, data, rev FROM repo_block;
        DROP TABLE repo_block;
        ALTER TABLE repo_block_clustered RENAME TO repo_block;
        CREATE INDEX repo_block_by_rev ON repo_block (did, rev);
        """;

    /// <summary>
    /// Commits delete the record blocks no index row points at any more, so the record index is
    /// searched by CID. Existing repositories drop the blocks their heads no longer reach in the
    /// same migration (<see cref="SqliteCompaction"/>).
    /// </summary>
    public const string V3 = """
        CREATE INDEX repo_record_by_cid ON repo_record (did, cid);
        """;

    /// <summary>
    /// listBlobs with <c>since</c>: each reference keeps the rev of the commit that last wrote its
    /// record, indexed so a recent <c>since</c> reads only what changed after it. References
    /// written before this column have no rev (NULL) and are listed for every <c>since</c>: which
    /// commit wrote them is not known, and listing a blob too many is harmless where missing one
    /// is not.
    /// </summary>
    public const string V4 = """
        ALTER TABLE record_blob ADD COLUMN rev TEXT;
        CREATE INDEX record_blob_by_rev ON record_blob (did, rev);
        """;

    /// <summary>
    /// The holder's deactivation apart from the status, so lifting a takedown can restore it. An
    /// account deactivated now has it set; one taken down after being deactivated cannot be told
    /// apart any more and comes back active, as it did before.
    /// </summary>
    public const string V5 = """
        ALTER TABLE account ADD COLUMN deactivated INTEGER NOT NULL DEFAULT 0;
        UPDATE account SET deactivated = 1 WHERE status = 'deactivated';
        """;
}
