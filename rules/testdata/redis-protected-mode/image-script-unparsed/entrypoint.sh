#!/bin/sh
if [ -z "$X" ] then
  exec redis-server /etc/redis/redis.conf
