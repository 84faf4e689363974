-- Remembered misses are deleted once past their validity; this finds them without reading the whole cache.
CREATE INDEX cache_entries_not_found_checked_at ON cache_entries (checked_at) WHERE kind = 'NOT_FOUND';
