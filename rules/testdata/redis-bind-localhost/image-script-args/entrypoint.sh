#!/bin/sh
# "$@" passes the CMD through: it overrides the bind.
exec redis-server /etc/redis.conf "$@"
