#!/bin/sh
# The password is set: the finding says nothing about protected mode.
exec redis-server /usr/local/etc/redis/redis.conf --bind 127.0.0.1 --requirepass "$REDIS_PASSWORD" "$@"
