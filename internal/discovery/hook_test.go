package discovery

import (
	"os"
	"regexp"
	"testing"

	yaml "go.yaml.in/yaml/v3"
)

// The pre-commit hook's file pattern selects exactly the files k8slint reads.
func TestPreCommitHookFiles(t *testing.T) {
	data, err := os.ReadFile("../../.pre-commit-hooks.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var hooks []struct {
		ID       string   `yaml:"id"`
		Entry    string   `yaml:"entry"`
		Language string   `yaml:"language"`
		Files    string   `yaml:"files"`
		Exclude  string   `yaml:"exclude"`
		Types    []string `yaml:"types"`
		Serial   bool     `yaml:"require_serial"`
	}
	if err := yaml.Unmarshal(data, &hooks); err != nil {
		t.Fatal(err)
	}
	if len(hooks) != 1 || hooks[0].ID != "k8slint" || hooks[0].Entry != "k8slint" || hooks[0].Language != "golang" || !hooks[0].Serial {
		t.Fatalf("hooks = %+v", hooks)
	}
	re := regexp.MustCompile(hooks[0].Files) // pre-commit uses Python's re.search; this pattern means the same in both
	ex := regexp.MustCompile(hooks[0].Exclude)
	for _, name := range []string{
		"Dockerfile", "Dockerfile.prod", "api.Dockerfile", "api.dockerfile", "Containerfile", "Containerfile.dev",
		".dockerignore", "Dockerfile.dockerignore", "web.Dockerfile.dockerignore", "X.DOCKERIGNORE",
		"mongod.conf", "mongod-replica.conf", "mongodb.conf", "Mongod.conf", "redis.conf", "redis-6379.conf", "sentinel.conf", "Sentinel.conf",
		"pod.yaml", "pod.yml", "POD.YAML", "list.json", "values.yaml",
		"dockerfile", "MyDockerfile", "Dockerfile-old", "Dockerfile_prod", "Dockerfile-for-app-service", "Dockerfile-alpine.template", "Dockerfile_notes.md", "Dockerfile-x.yaml", "notes.conf", "mongo.conf", "redis.confx", "app.py", "README.md", "yaml", "x.yaml.bak",
		"nginx.conf", "sentinel.conf.bak", "Containerfiles",
	} {
		for _, dir := range []string{"", "deploy/", "a/Dockerfile.d/"} {
			_, want := Classify(name)
			if got := re.MatchString(dir+name) && !ex.MatchString(dir+name); got != want {
				t.Errorf("%s%s: hook pattern says %v, k8slint reads it: %v", dir, name, got, want)
			}
		}
	}
}
