#!/bin/bash
# Each redis-server of the script is a command line of its own: the second
# one has no password.
if [ -n "$REDIS_PASSWORD" ]; then
  exec redis-server /etc/redis/redis.conf --requirepass "$REDIS_PASSWORD"
else
  exec redis-server /etc/redis/redis.conf
fi
