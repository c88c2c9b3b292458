#!/bin/bash
set -e
exec mongod --replSet rs0 "$@"
