package workspace

import (
	"strings"
	"testing"
)

func TestSplitScript(t *testing.T) {
	for _, tc := range []struct {
		script string
		want   string // commands separated by " | ", words by spaces; dynamic words marked with *
	}{
		{"exec celery -A app worker", "exec celery -A app worker"},
		{"cd /code && exec celery worker; echo done", "cd /code | exec celery worker | echo done"},
		{"celery worker -Q 'a b' --hostname=\"w@$HOSTNAME\"", "celery worker -Q a b --hostname=w@$HOSTNAME*"},
		{"redis-server /etc/redis.conf > /var/log/r.log 2>&1 &", "redis-server /etc/redis.conf"},
		{"# a comment\nmongod --bind_ip_all  # trailing", "mongod --bind_ip_all"},
		{"mongod \\\n  --bind_ip 127.0.0.1", "mongod --bind_ip 127.0.0.1"},
		{"(cd x; celery worker) | tee log", "cd x | celery worker | tee log"},
		{"echo $(hostname -i) `date`", "echo $(hostname -i)* `date`*"},
		{"a\\ b c", "a b c"},
		{"", ""},
	} {
		var cmds []string
		for _, c := range SplitScript(tc.script) {
			var ws []string
			for _, w := range c {
				v := w.Value
				if w.Dynamic {
					v += "*"
				}
				ws = append(ws, v)
			}
			cmds = append(cmds, strings.Join(ws, " "))
		}
		if got := strings.Join(cmds, " | "); got != tc.want {
			t.Errorf("SplitScript(%q) = %q, want %q", tc.script, got, tc.want)
		}
	}
	// Positions: line and columns of each word in the script text.
	cmds := SplitScript("set -e\n  exec mongod --bind_ip 127.0.0.1")
	w := cmds[1][3]
	if w.Value != "127.0.0.1" || w.Line != 2 || w.Col != 25 || w.EndLine != 2 || w.EndCol != 34 {
		t.Errorf("word %+v, want 127.0.0.1 at 2:25-2:34", w)
	}
}
