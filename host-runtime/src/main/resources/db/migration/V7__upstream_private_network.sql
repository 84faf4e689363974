-- Upstreams connect only to public addresses unless the instance allows more; an instance admin can lift the rule
-- for one upstream (an internal proxy on a private address, say). Only an instance admin sets this.
ALTER TABLE upstreams ADD COLUMN allow_private_network BOOLEAN NOT NULL DEFAULT FALSE;
