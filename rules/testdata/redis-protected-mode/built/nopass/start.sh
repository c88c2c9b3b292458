#!/bin/sh
exec redis-server /etc/redis/redis.conf "$@"
