#!/bin/sh
exec mongod --bind_ip 127.0.0.1 --replSet rs0
