#!/bin/sh
# mongo 3.4 binds every address by default.
exec mongod --replSet rs0
