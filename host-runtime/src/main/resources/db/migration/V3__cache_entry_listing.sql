-- The admin API lists an upstream's cache entries by module path and version, filtered by prefixes of both.
-- Byte order ("C") keeps the listing stable across database locales and lets LIKE 'prefix%' use the index.
CREATE INDEX cache_entries_listing ON cache_entries
    (upstream_id, (artifact_name COLLATE "C"), (artifact_version COLLATE "C"), (path COLLATE "C"), id);
