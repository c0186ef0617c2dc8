-- switchboard local cache, schema 1. Migrations are append-only: never edit a released file,
-- add 0002_….sql instead (PRAGMA user_version counts the files applied).

-- Conversations as last seen, newest activity first. `json` is the whole domain value; the
-- other columns are for ordering and search.
CREATE TABLE conversations (
    id            TEXT PRIMARY KEY,
    last_activity INTEGER,            -- microseconds since the epoch, UTC
    name          TEXT NOT NULL,      -- who the conversation is with (name or address)
    address       TEXT NOT NULL,
    metadata      TEXT NOT NULL,      -- the metadata's keys and values as plain text
    json          TEXT NOT NULL
);
CREATE INDEX conversations_by_activity ON conversations (last_activity DESC);

-- Every message ever loaded, in any conversation.
CREATE TABLE messages (
    rowid        INTEGER PRIMARY KEY,
    id           TEXT NOT NULL UNIQUE,
    conversation TEXT NOT NULL,
    sent_at      INTEGER NOT NULL,    -- microseconds since the epoch, UTC
    body         TEXT NOT NULL,
    name         TEXT NOT NULL,       -- the sender as far as the message says
    json         TEXT NOT NULL
);
CREATE INDEX messages_by_thread ON messages (conversation, sent_at, id);

-- Paging state: every message of the conversation sent in [lo, hi] is cached (the instant `lo`
-- itself only when `at_beginning`, since a page may split messages that share it).
CREATE TABLE threads (
    conversation TEXT PRIMARY KEY,
    lo           INTEGER NOT NULL,
    hi           INTEGER NOT NULL,
    at_beginning INTEGER NOT NULL
);

-- The newest activity the user has seen, per conversation (unread state across restarts).
CREATE TABLE seen (
    conversation TEXT PRIMARY KEY,
    at           INTEGER NOT NULL
);

-- Small facts about this cache (the demo sandbox's anchor time).
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- Full-text indexes over the tables above (external content, kept in step by triggers).
CREATE VIRTUAL TABLE message_fts USING fts5 (
    body, name,
    content = 'messages', content_rowid = 'rowid',
    tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TRIGGER messages_ai AFTER INSERT ON messages BEGIN
    INSERT INTO message_fts (rowid, body, name) VALUES (new.rowid, new.body, new.name);
END;
CREATE TRIGGER messages_ad AFTER DELETE ON messages BEGIN
    INSERT INTO message_fts (message_fts, rowid, body, name)
        VALUES ('delete', old.rowid, old.body, old.name);
END;
CREATE TRIGGER messages_au AFTER UPDATE OF body, name ON messages BEGIN
    INSERT INTO message_fts (message_fts, rowid, body, name)
        VALUES ('delete', old.rowid, old.body, old.name);
    INSERT INTO message_fts (rowid, body, name) VALUES (new.rowid, new.body, new.name);
END;

CREATE VIRTUAL TABLE conversation_fts USING fts5 (
    name, address, metadata,
    content = 'conversations', content_rowid = 'rowid',
    tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TRIGGER conversations_ai AFTER INSERT ON conversations BEGIN
    INSERT INTO conversation_fts (rowid, name, address, metadata)
        VALUES (new.rowid, new.name, new.address, new.metadata);
END;
CREATE TRIGGER conversations_ad AFTER DELETE ON conversations BEGIN
    INSERT INTO conversation_fts (conversation_fts, rowid, name, address, metadata)
        VALUES ('delete', old.rowid, old.name, old.address, old.metadata);
END;
CREATE TRIGGER conversations_au AFTER UPDATE OF name, address, metadata ON conversations BEGIN
    INSERT INTO conversation_fts (conversation_fts, rowid, name, address, metadata)
        VALUES ('delete', old.rowid, old.name, old.address, old.metadata);
    INSERT INTO conversation_fts (rowid, name, address, metadata)
        VALUES (new.rowid, new.name, new.address, new.metadata);
END;
