#!/bin/sh
set -e
# "$@" is the CMD: redis-server /etc/redis/redis.conf, with no password.
exec "$@" --appendonly yes
