package cmdline

import (
	"strings"
	"testing"

	"github.com/k8slint/k8slint/internal/diag"
)

func words(vals ...string) []Word {
	out := make([]Word, len(vals))
	for i, v := range vals {
		out[i] = Word{Val: v, Loc: diag.Location{File: "f", Line: i + 1, Column: 1}}
	}
	return out
}

// render shows commands as "argv" separated by " | ", dynamic words marked *,
// assignments as [A=b] and user switches as (user).
func render(cmds []*Command) string {
	var out []string
	for _, c := range cmds {
		var ws []string
		for _, e := range c.Env {
			ws = append(ws, "["+e.Val+"]")
		}
		if c.AsUser {
			ws = append(ws, "(user)")
		}
		for _, w := range c.Argv {
			v := w.Val
			if w.Dynamic {
				v += "*"
			}
			ws = append(ws, v)
		}
		out = append(out, strings.Join(ws, " "))
	}
	return strings.Join(out, " | ")
}

func scriptAt(i int) Pos {
	return Pos{File: "f", Map: func(l, c int) (int, int) { return l, c }, Exact: true}
}

func TestCommands(t *testing.T) {
	for _, tc := range []struct {
		argv []string
		want string
	}{
		{[]string{"redis-server", "--bind", "127.0.0.1"}, "redis-server --bind 127.0.0.1"},
		{[]string{"FOO=1", "tini", "--", "redis-server"}, "[FOO=1] redis-server"},
		{[]string{"tini", "-s", "-p", "SIGTERM", "--", "mongod"}, "mongod"},
		{[]string{"dumb-init", "--", "uv", "run", "celery", "worker"}, "celery worker"},
		{[]string{"gosu", "redis", "redis-server"}, "(user) redis-server"},
		{[]string{"env", "-u", "X", "A=1", "nice", "-n", "5", "mongod"}, "[A=1] mongod"},
		{[]string{"poetry", "run", "celery", "worker"}, "celery worker"},
		{[]string{"poetry", "install"}, "poetry install"},
		{[]string{"docker-entrypoint.sh", "mongod", "--replSet", "rs0"}, "mongod --replSet rs0"},
		{[]string{"sh", "script.sh"}, "sh script.sh"},
		{[]string{"bash", "-o", "pipefail", "-lc", "exec time redis-server --bind 127.0.0.1"}, "redis-server --bind 127.0.0.1"},
		{[]string{"sh", "-c", "if [ -f x ]; then redis-server --bind 127.0.0.1; fi"}, "[ -f x ] | redis-server --bind 127.0.0.1"},
		{[]string{"sh", "-c", "{ mongod --fork; } && A=b exec mongod || echo x | tee y"}, "mongod --fork | [A=b] mongod | echo x | tee y"},
		{[]string{"sh", "-c", "cat <<EOF > /c\nredis-server --bind 127.0.0.1\nEOF\nexec redis-server /c"}, "cat | redis-server /c"},
		{[]string{"sh", "-c", "echo $(mongod --version); f() { celery worker; }"}, "echo $(mongod --version)* | celery worker"},
		{[]string{"sh", "-c", "sh -c 'exec gosu u redis-server --port 1'"}, "(user) redis-server --port 1"},
		{[]string{"sh", "-c", "echo 'a;b' \"x $HOME\" a\\ b >/dev/null 2>&1"}, "echo a;b x $HOME* a b"},
		{[]string{"sh", "-c", "case $1 in a) mongod;; esac; while true; do redis-server; done"}, "mongod | true | redis-server"},
		{[]string{"sh", "-c", "if then"}, ""},                     // does not parse: nothing known
		{[]string{"sh", "-c", "$CMD --port 1"}, "$CMD* --port 1"}, // an unknown program
		{[]string{"sh", "-c", "X=1"}, ""},
		{[]string{"sh", "-c", "(cd x; celery worker) | tee log"}, "cd x | celery worker | tee log"},
		{[]string{"sh", "-c", "# a comment\nmongod --bind_ip_all  # trailing"}, "mongod --bind_ip_all"},
		{[]string{"sh", "-c", "mongod \\\n  --bind_ip 127.0.0.1"}, "mongod --bind_ip 127.0.0.1"},
		{[]string{"sh", "-c", "redis-server /etc/redis.conf > /var/log/r.log 2>&1 &"}, "redis-server /etc/redis.conf"},
		{[]string{"sh", "-c", "celery worker -Q 'a b' --hostname=\"w@$HOSTNAME\""}, "celery worker -Q a b --hostname=w@$HOSTNAME*"},
		{[]string{"sh", "-c", "echo $(hostname -i) `date`"}, "echo $(hostname -i)* `date`*"},
	} {
		if got := render(Commands(words(tc.argv...), scriptAt)); got != tc.want {
			t.Errorf("%q:\n got %q\nwant %q", tc.argv, got, tc.want)
		}
	}
}

func TestScriptPositions(t *testing.T) {
	script := "set -e  # comment mongod --bind_ip 127.0.0.1\n" +
		"echo 'a;b' >/dev/null 2>&1 && redis-server --bind '127.0.0.1' \\\n  --port 6379 &\n" +
		"sleep 1; exec mongod --bind_ip=\"$(hostname -i)\""
	cmds := Commands(words("sh", "-c", script), func(int) Pos {
		return Pos{File: "f.yaml", Map: func(l, c int) (int, int) { return 10 + l, c + 4 }, Exact: true}
	})
	if got, want := render(cmds), "set -e | echo a;b | redis-server --bind 127.0.0.1 --port 6379 | sleep 1 | mongod --bind_ip=$(hostname -i)*"; got != want {
		t.Fatalf("got %q\nwant %q", got, want)
	}
	// '127.0.0.1' starts at column 51 of script line 2: file line 12, column 4+51.
	w := cmds[2].Argv[2]
	if w.Loc.Line != 12 || w.Loc.Column != 55 || w.Loc.EndColumn != 66 {
		t.Errorf("position of %q: %+v", w.Val, w.Loc)
	}
	// Columns count runes, not bytes.
	cmds = Commands(words("sh", "-c", "echo héé; mongod"), scriptAt)
	if w := cmds[1].Argv[0]; w.Loc.Column != 11 || w.Loc.EndColumn != 17 {
		t.Errorf("after non-ASCII: %+v", w.Loc)
	}
	// A nested single-quoted script keeps exact positions.
	cmds = Commands(words("sh", "-c", "sh -c 'redis-server --port 1'"), scriptAt)
	if w := cmds[0].Argv[2]; w.Loc.Column != 28 || w.Loc.EndColumn != 29 {
		t.Errorf("nested: %+v", w.Loc)
	}
}

func TestShellScript(t *testing.T) {
	for _, tc := range []struct {
		args string
		want int
	}{
		{"-c x", 1}, {"-ec x", 1}, {"-lc x", 1}, {"-e -c x", 2}, {"-o pipefail -c x", 3},
		{"--login -c x", 2}, {"script.sh", -1}, {"-e script.sh", -1}, {"-c", -1}, {"-c -- x", 2},
	} {
		if got := shellScript(words(strings.Fields(tc.args)...)); got != tc.want {
			t.Errorf("%q: %d, want %d", tc.args, got, tc.want)
		}
	}
}
