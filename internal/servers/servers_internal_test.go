package servers

import (
	"reflect"
	"testing"

	"github.com/k8slint/k8slint/internal/cmdline"
	"github.com/k8slint/k8slint/internal/diag"
	"github.com/k8slint/k8slint/internal/load"
)

func words(vals ...string) []cmdline.Word {
	out := make([]cmdline.Word, len(vals))
	for i, v := range vals {
		out[i] = cmdline.Word{Val: v, Loc: diag.Location{File: "f", Line: i + 1, Column: 1}}
	}
	return out
}

func TestClassifyHost(t *testing.T) {
	cases := map[string]HostClass{
		"127.0.0.1": HostLoopback, "127.0.1.1": HostLoopback, "127.255.255.254": HostLoopback,
		"::1": HostLoopback, "[::1]": HostLoopback, "0:0:0:0:0:0:0:1": HostLoopback, "::ffff:127.0.0.1": HostLoopback,
		"localhost": HostLoopback, "LOCALHOST": HostLoopback, "localhost.": HostLoopback, " localhost ": HostLoopback,
		"ip6-localhost": HostLoopback,
		"0.0.0.0":       HostOther, "::": HostOther, "*": HostOther, "10.0.0.5": HostOther, "128.0.0.1": HostOther,
		"fe80::1%eth0": HostOther, "mongo-0.mongo.db.svc": HostOther, "$(POD_IP)": HostOther, "": HostOther,
		"localhost.example.com":  HostOther,
		"/tmp/mongod-27017.sock": HostSocket,
	}
	for in, want := range cases {
		if got := ClassifyHost(in); got != want {
			t.Errorf("ClassifyHost(%q) = %d, want %d", in, got, want)
		}
	}
}

func TestMongoLoopbackOnly(t *testing.T) {
	cases := []struct {
		bindIP string
		allOn  bool
		want   bool
	}{
		{"127.0.0.1", false, true},
		{"127.0.0.1, ::1", false, true},
		{" localhost ,127.0.0.1 ", false, true},
		{"127.0.0.1,,::1", false, true}, // empty tokens are compressed away
		{"127.0.0.1,/tmp/mongod.sock", false, true},
		{"/tmp/mongod.sock", false, false}, // no loopback address at all
		{"127.0.0.1", true, false},         // bindIpAll wins
		{"*", false, false},
		{"0.0.0.0", false, false},
		{"::,0.0.0.0", false, false},
		{"127.0.0.1,10.0.0.1", false, false},
		{"localhost,mongo-0.mongo", false, false},
		{"", false, false},
	}
	for _, c := range cases {
		b := MongoBind{IP: &cmdline.Word{Val: c.bindIP}, AllOn: c.allOn}
		if got := b.LoopbackOnly(); got != c.want {
			t.Errorf("bindIp %q allOn %v: got %v, want %v", c.bindIP, c.allOn, got, c.want)
		}
	}
	if (MongoBind{}).LoopbackOnly() {
		t.Error("unset bindIp must not count as loopback (the official image adds --bind_ip_all)")
	}
}

func TestMongoConfBind(t *testing.T) {
	cases := []struct {
		name, text string
		want       bool
	}{
		{"yaml", "net:\n  bindIp: 127.0.0.1\n", true},
		{"yaml bindIpAll", "net:\n  bindIp: 127.0.0.1\n  bindIpAll: true\n", false},
		{"yaml bindIpAll false", "net:\n  bindIp: 127.0.0.1\n  bindIpAll: false\n", true},
		{"yaml dotted key", "net.bindIp: localhost\nstorage:\n  dbPath: /d\n", true},
		{"yaml unset", "storage:\n  dbPath: /d\n", false},
		{"yaml null", "net:\n  bindIp:\n", false},
		{"legacy", "dbpath = /d\nbind_ip = 127.0.0.1\n", true},
		{"legacy spaces and comment", "bind_ip=localhost , ::1   # local\n", true},
		{"legacy bind_ip_all", "bind_ip = 127.0.0.1\nbind_ip_all = true\n", false},
		{"legacy bind_ip_all false", "bind_ip = 127.0.0.1\nbind_ip_all = false\n", true},
		{"legacy last wins", "bind_ip = 127.0.0.1\nbind_ip = 0.0.0.0\n", false},
	}
	for _, c := range cases {
		cf := load.LoadMongoConf("mongod.conf", []byte(c.text))
		if got := mongoConfBind(cf).LoopbackOnly(); got != c.want {
			t.Errorf("%s: got %v, want %v", c.name, got, c.want)
		}
	}
}

func TestMongoArgs(t *testing.T) {
	cases := []struct {
		args           []string
		ip, config     string
		all, loopback  bool
		ipCol, ipCount int
	}{
		{args: []string{"--bind_ip", "127.0.0.1"}, ip: "127.0.0.1", loopback: true},
		{args: []string{"--bind_ip=localhost,::1"}, ip: "localhost,::1", loopback: true},
		{args: []string{"--bind_ip_all"}, all: true},
		{args: []string{"--bind_ip", "0.0.0.0", "--config", "/etc/mongod.conf"}, ip: "0.0.0.0", config: "/etc/mongod.conf"},
		{args: []string{"-f", "/c.conf", "--replSet", "rs0"}, config: "/c.conf"},
		{args: []string{"--config=/c.conf"}, config: "/c.conf"},
		{args: []string{"--bind_ip"}}, // no value: mongod refuses to start
	}
	for _, c := range cases {
		b, config, _ := mongoArgs(words(c.args...))
		ip, cfg := "", ""
		if b.IP != nil {
			ip = b.IP.Val
		}
		if config != nil {
			cfg = config.Val
		}
		if ip != c.ip || cfg != c.config || b.AllOn != c.all || b.LoopbackOnly() != c.loopback || !b.Cmd {
			t.Errorf("%q: ip %q config %q all %v loopback %v", c.args, ip, cfg, b.AllOn, b.LoopbackOnly())
		}
	}
}

func TestSubWord(t *testing.T) {
	plain := cmdline.Word{Val: "--bind_ip=1.2.3.4", Loc: diag.Location{Line: 3, Column: 5, EndLine: 3, EndColumn: 22}}
	if w := SubWord(plain, 10); w.Val != "1.2.3.4" || w.Loc.Column != 15 || w.Loc.EndColumn != 22 {
		t.Errorf("plain: %+v", w)
	}
	quoted := cmdline.Word{Val: "--bind_ip=1.2.3.4", Loc: diag.Location{Line: 3, Column: 5, EndLine: 3, EndColumn: 24}}
	if w := SubWord(quoted, 10); w.Loc.Column != 16 || w.Loc.EndColumn != 23 {
		t.Errorf("quoted: %+v", w)
	}
	escaped := cmdline.Word{Val: "--bind_ip=1.2.3.4", Loc: diag.Location{Line: 3, Column: 5, EndLine: 3, EndColumn: 30}}
	if w := SubWord(escaped, 10); w.Loc != escaped.Loc {
		t.Errorf("escaped: %+v", w)
	}
}

func TestRedisArgs(t *testing.T) {
	type d struct {
		Name string
		Args []string
	}
	cases := []struct {
		args []string
		conf string
		want []d
	}{
		{[]string{"/etc/redis.conf", "--port", "6380"}, "/etc/redis.conf", []d{{"port", []string{"6380"}}}},
		{[]string{"--bind", "127.0.0.1", "-::1", "--appendonly", "yes"}, "", []d{{"bind", []string{"127.0.0.1", "-::1"}}, {"appendonly", []string{"yes"}}}},
		{[]string{"--BIND 127.0.0.1 ::1"}, "", []d{{"bind", []string{"127.0.0.1", "::1"}}}},
		{[]string{"--save", "--appendonly", "no"}, "", []d{{"save", nil}, {"appendonly", []string{"no"}}}},
		{[]string{"--port", "--bind"}, "", []d{{"port", []string{"--bind"}}}}, // an option name alone takes the next word
		{[]string{"-", "--bind", "127.0.0.1"}, "", []d{{"bind", []string{"127.0.0.1"}}}},
		{[]string{"/s.conf", "--sentinel"}, "/s.conf", []d{{"sentinel", nil}}},
		{[]string{"--bind", "127.0.0.1 ::1"}, "", []d{{"bind", []string{"127.0.0.1 ::1"}}}},
	}
	for _, c := range cases {
		conf, ds := redisArgs(words(c.args...))
		gotConf := ""
		if conf != nil {
			gotConf = conf.Val
		}
		var got []d
		for _, x := range ds {
			var a []string
			for _, w := range x.Args {
				a = append(a, w.Val)
			}
			got = append(got, d{x.Name, a})
		}
		if gotConf != c.conf || !reflect.DeepEqual(got, c.want) {
			t.Errorf("%q: conf %q directives %v, want %q %v", c.args, gotConf, got, c.conf, c.want)
		}
	}
}

func redisSetupOf(text string) *RedisSetup {
	cf := load.LoadRedisConf("redis.conf", []byte(text))
	return &RedisSetup{Directives: redisConfDirectives(cf), Conf: cf}
}

func TestLoopbackBind(t *testing.T) {
	cases := []struct {
		text string
		want bool
	}{
		{"bind 127.0.0.1", true},
		{"bind 127.0.0.1 -::1", true},
		{"bind -127.0.0.1 -::1", true},
		{"bind \"127.0.0.1 ::1\"", true},
		{"bind localhost", true},
		{"bind 0.0.0.0\nbind 127.0.0.1", true}, // the last one wins
		{"bind 127.0.0.1\nbind 0.0.0.0", false},
		{"bind * -::*", false},
		{"bind 127.0.0.1 10.0.0.1", false},
		{"bind \"\"", false},
		{"bind 127.0.0.1\nport 0", false},
		{"bind 127.0.0.1\nport 0\ntls-port 6380", true},
		{"port 6379", false},
		{"bind 127.0.0.1\ninclude /x.conf", false},
		{"include /x.conf\nbind 127.0.0.1", true},
	}
	for _, c := range cases {
		if got := redisSetupOf(c.text).LoopbackBind() != nil; got != c.want {
			t.Errorf("%q: got %v, want %v", c.text, got, c.want)
		}
	}
}

func TestProtectedNoPassword(t *testing.T) {
	cases := []struct {
		text string
		want bool
	}{
		{"protected-mode yes", true},
		{"protected-mode YES", true},
		{"protected-mode no", false},
		{"", false}, // unset: the official image patches the default to no
		{"protected-mode yes\nprotected-mode no", false},
		{"protected-mode no\nprotected-mode yes", true},
		{"protected-mode yes\nrequirepass secret", false},
		{"protected-mode yes\nrequirepass \"\"", true},
		{"protected-mode yes\nrequirepass secret\nrequirepass \"\"", true},
		{"protected-mode yes\nuser default on >pw ~* +@all", false},
		{"protected-mode yes\nuser default on #5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8 ~* +@all", false},
		{"protected-mode yes\nuser default on nopass ~* +@all", true},
		{"protected-mode yes\nuser default on >pw nopass ~* +@all", true},
		{"protected-mode yes\nuser default on nopass >pw ~* +@all", false},
		{"protected-mode yes\nuser default on nopass resetpass", false},
		{"protected-mode yes\nuser default on ~* +@all", false}, // no nopass flag: protected mode does not apply
		{"protected-mode yes\nrequirepass pw\nuser default on nopass ~* +@all", true},
		{"protected-mode yes\nuser default on nopass\nuser default on >pw", false},
		{"protected-mode yes\nuser alice on >pw ~* +@all", true},
		{"protected-mode yes\naclfile /etc/users.acl", false},
		{"protected-mode yes\ninclude /etc/redis/auth.conf", false},
	}
	for _, c := range cases {
		d, _ := redisSetupOf(c.text).ProtectedNoPassword()
		if got := d != nil; got != c.want {
			t.Errorf("%q: got %v, want %v", c.text, got, c.want)
		}
	}
	s := redisSetupOf("protected-mode yes")
	s.UnknownConf = true
	if d, _ := s.ProtectedNoPassword(); d != nil {
		t.Error("a config file the tree does not hold may set the password: stay silent")
	}
}

func TestOfficialImage(t *testing.T) {
	cases := map[string]string{
		"mongo": "mongo", "mongo:7.0": "mongo", "library/mongo:7": "mongo", "docker.io/library/mongo:7": "mongo",
		"docker.io/mongo@sha256:abc": "mongo", "mirror.gcr.io/library/redis:7": "redis", "redis:7-alpine": "redis",
		"public.ecr.aws/docker/library/redis:7": "redis", "index.docker.io/library/redis": "redis",
		"bitnami/redis:7": "", "bitnami/mongodb": "", "quay.io/redis:7": "", "myregistry:5000/redis": "",
		"redis/redis-stack-server": "", "localhost/redis": "", "mongo-express": "", "": "",
	}
	for in, want := range cases {
		if got := OfficialImage(in); got != want {
			t.Errorf("OfficialImage(%q) = %q, want %q", in, got, want)
		}
	}
}
