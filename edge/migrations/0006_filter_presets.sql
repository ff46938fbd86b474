-- Each user's saved board filters: a name and the board's query string.
-- Saving a name again replaces its query.
CREATE TABLE filter_presets (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    user_name  TEXT    NOT NULL,
    name       TEXT    NOT NULL,
    query      TEXT    NOT NULL,
    created_at INTEGER NOT NULL, -- ms since the epoch
    UNIQUE (user_name, name)
);
