package servers

import "testing"

func TestNamesHost(t *testing.T) {
	for _, tc := range []struct {
		v, env, host string
		sts, want    bool
	}{
		{"redis://cache:6379", "", "cache", false, true},
		{"redis://:pw@cache.default.svc.cluster.local:6379/0", "", "cache", false, true},
		{"cache:6379", "", "cache", false, true},
		{"mongodb://db-0.db:27017,db-1.db:27017/?replicaSet=rs0", "", "db", true, true},
		{"mongodb://db-0.db:27017", "", "db", false, false}, // a Deployment has no ordinal pods
		{"cache", "REDIS_HOST", "cache", false, true},
		{"cache", "CACHE_NOTE", "cache", false, false},
		{"cache is local", "REDIS_HOST", "cache", false, false},
		{"redis://localhost:6379", "", "cache", false, false},
		{"my-cache:6379", "", "cache", false, false},
		{"cache:http", "", "cache", false, false},
		{"--uri=mongodb://db:27017/app", "", "db", false, true},
	} {
		if got := namesHost(tc.v, tc.env, tc.host, tc.sts); got != tc.want {
			t.Errorf("namesHost(%q, %q, %q) = %v, want %v", tc.v, tc.env, tc.host, got, tc.want)
		}
	}
}

func TestBefore36(t *testing.T) {
	for in, want := range map[string]bool{
		"mongo:3.4": true, "mongo:3.4.24-xenial": true, "mongo:2.6": true, "mongo:3.6": false, "mongo:4": false,
		"mongo": false, "mongo:latest": false, "bitnami/mongodb:3.4": false, "mongo:7.0@sha256:abc": false,
	} {
		if got := before36(in); got != want {
			t.Errorf("before36(%q) = %v, want %v", in, got, want)
		}
	}
}
