#!/bin/sh
exec redis-server /etc/redis/redis.conf --requirepass "$REDIS_PASSWORD"
