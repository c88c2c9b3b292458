package rules_test

import (
	"testing"

	"github.com/k8slint/k8slint/internal/engine"
	"github.com/k8slint/k8slint/internal/ruletest"
	"github.com/k8slint/k8slint/internal/testfs"
	"github.com/k8slint/k8slint/internal/workspace"
	"github.com/k8slint/k8slint/rules"
)

func TestRedisBindLocalhost(t *testing.T) {
	ruletest.Run(t, "testdata/redis-bind-localhost", rules.RedisBindLocalhost)
}

// A Service reaches a server's pod only within its deployment unit.
func TestRedisReachWithinUnit(t *testing.T) {
	redis := "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: cache\nspec:\n  selector:\n    matchLabels: {app: cache}\n  template:\n    metadata:\n      labels: {app: cache}\n    spec:\n      containers:\n      - name: redis\n        image: redis:7\n        command: [redis-server, --bind, 127.0.0.1]\n      - name: app\n        image: example/app:1\n"
	// A pod with an app container beside Redis is a pod-local sidecar setup
	// unless something reaches it from other pods: here a Service.
	svc := "apiVersion: v1\nkind: Service\nmetadata:\n  name: cache\nspec:\n  selector: {app: cache}\n  ports: [{port: 6379}]\n"
	dir := testfs.Tree(t, map[string]string{"extras/cache/redis.yaml": redis, "main/svc.yaml": svc})
	run := func(units []string) int {
		res, err := engine.Run(engine.Options{Paths: []string{dir}, Rules: []*rules.Rule{rules.RedisBindLocalhost}, Jobs: 1,
			Settings: workspace.Settings{Units: units, UnitBase: dir}})
		if err != nil {
			t.Fatal(err)
		}
		return len(res.Findings)
	}
	if n := run(nil); n != 1 {
		t.Errorf("one unit: %d findings, want 1 (the Service selects the loopback-bound Redis)", n)
	}
	if n := run([]string{"extras/*"}); n != 0 {
		t.Errorf("units extras/*: %d findings, want 0 (the Service is applied apart from the Redis)", n)
	}
}
