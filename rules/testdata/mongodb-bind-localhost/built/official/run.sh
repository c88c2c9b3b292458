#!/bin/sh
# Hands on to the official entrypoint, which adds --bind_ip_all.
exec docker-entrypoint.sh mongod --replSet rs0
