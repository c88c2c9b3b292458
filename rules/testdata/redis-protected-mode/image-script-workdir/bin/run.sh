#!/bin/sh
# A password set in a function that is never called still counts for the
# redis-server it starts; the one after it has a literal password too.
start() {
  redis-server conf/redis.conf --requirepass "$(cat /run/secrets/redis)"
}
exec redis-server /opt/cache/conf/redis.conf --requirepass change-me
