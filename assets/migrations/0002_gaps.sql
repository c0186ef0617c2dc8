-- switchboard local cache, schema 2. Instants of a thread that more messages share than the
-- provider pages through (its cursors are times): the messages there that did not fit in one
-- page could not be loaded. A thread read back from the cache marks them as the server's pages
-- did, instead of passing over them in silence.
CREATE TABLE gaps (
    conversation TEXT NOT NULL,
    at           INTEGER NOT NULL,    -- microseconds since the epoch, UTC
    PRIMARY KEY (conversation, at)
) WITHOUT ROWID;
