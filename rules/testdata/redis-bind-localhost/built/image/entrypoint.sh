#!/bin/sh
set -e
exec redis-server --bind 127.0.0.1 "$@"
