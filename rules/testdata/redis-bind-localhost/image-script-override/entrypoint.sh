#!/bin/sh
exec redis-server /etc/redis.conf --bind 0.0.0.0
