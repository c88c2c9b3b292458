#!/bin/sh
exec redis-server conf/redis.conf --appendonly yes
