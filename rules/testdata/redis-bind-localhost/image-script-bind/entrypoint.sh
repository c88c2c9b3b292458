#!/bin/sh
set -eu
exec redis-server /usr/local/etc/redis/redis.conf --bind 127.0.0.1 ::1
