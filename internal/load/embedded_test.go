package load

import "testing"

func TestLoadEmbedded(t *testing.T) {
	stunnel := "[redis]\naccept = 6666\nconnect = master:6379\ncert = /etc/stunnel/keys/server-cert.pem\n"
	cases := []struct {
		name, key, text string
		want            ConfKind // 0: not a config
	}{
		{"redis by name", "redis.conf", "bind 127.0.0.1\nport 6379\n", RedisConf},
		{"sentinel by name", "sentinel.conf", "port 26379\nsentinel monitor m h 6379 2\n", RedisConf},
		{"redis name, stunnel content", "redis.conf", stunnel, 0},
		{"redis name, unknown directives only", "redis.conf", "foo bar\n", 0},
		{"redis by content", "master", "appendonly yes\nbind 127.0.0.1\n", RedisConf},
		{"generic directives only", "config", "bind 127.0.0.1\nport 6379\n", 0},
		{"one directive", "config", "appendonly yes\n", 0},
		{"not all redis", "haproxy.cfg", "bind 127.0.0.1\nappendonly yes\nfrontend x\n", 0},
		{"module option", "redis-config", "loadmodule /m.so\nsearch.timeout 5\nappendonly yes\n", RedisConf},
		{"script", "run.sh", "#!/bin/sh\nredis-server --bind 127.0.0.1\n", 0},
		{"mongo yaml by name", "mongod.conf", "net:\n  bindIp: 127.0.0.1\n", MongoConf},
		{"mongo legacy by name", "mongodb.conf", "bind_ip = 127.0.0.1\n", MongoConf},
		{"mongo name, other content", "mongo.conf", "hello: world\n", 0},
		{"mongo yaml by content", "cfg", "net:\n  bindIp: localhost\nstorage:\n  dbPath: /d\n", MongoConf},
		{"yaml with net only", "cfg", "net:\n  bindIp: localhost\n", 0},
		{"yaml with other keys", "values.yaml", "net:\n  bindIp: localhost\nimage: x\n", 0},
		{"mongo legacy by content", "cfg", "dbpath = /d\nbind_ip = 127.0.0.1\n", MongoConf},
		{"ini with bind_ip", "app.ini", "bind_ip = 127.0.0.1\nworkers = 4\n", 0},
	}
	for _, c := range cases {
		cf := LoadEmbedded("f.yaml", c.key, c.text, nil)
		var got ConfKind
		if cf != nil {
			got = cf.Kind
		}
		if got != c.want {
			t.Errorf("%s: got kind %d, want %d", c.name, got, c.want)
		}
	}
}

func TestLoadMongoTextMovesPositions(t *testing.T) {
	pos := func(l, c int) (int, int) { return 10 + l, c + 4 }
	cf := LoadMongoText("f.yaml", "net:\n  bindIp: 127.0.0.1\n", pos)
	n := cf.YAML.Get("net").Get("bindIp")
	if n.Line != 12 || n.Column != 15 || n.EndLine() != 12 || n.EndColumn() != 24 {
		t.Errorf("bindIp value at %d:%d-%d:%d, want 12:15-12:24", n.Line, n.Column, n.EndLine(), n.EndColumn())
	}
	ds := LoadRedisText("f.yaml", "# c\nbind 127.0.0.1 ::1\n", pos).Directives
	if len(ds) != 1 || ds[0].Line != 12 || ds[0].Col != 5 || ds[0].Args[1].Column != 20 || ds[0].Args[1].EndCol != 23 {
		t.Errorf("redis directive: %+v", ds)
	}
}
