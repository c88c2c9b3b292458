package config

// Default is what `k8slint config init` writes: every key, set to its
// default, with comments. Loading it changes nothing.
const Default = `# k8slint configuration (https://github.com/k8slint/k8slint#configuration).
# k8slint reads the .k8slint.yaml nearest to the linted path, never above its
# project root (the nearest directory with .git), or the file given with
# --config. Command-line flags win over it.
# Unknown keys and values of the wrong type are errors: nothing is ignored.

# Lowest severity that makes k8slint exit 1: error, warning or info.
fail-on: warning

# Paths not to lint: doublestar globs relative to this file's directory. A glob
# without "/" matches a file or directory name anywhere. Excluded files still
# count as files of a Docker build context.
exclude: []
#  - "charts/**"
#  - "*.generated.yaml"

rules:
  # Run only these rules (empty: every rule). ` + "`k8slint rules`" + ` lists them.
  enable: []
  # Do not run these rules.
  disable: []
  #  - unused-ignore
  # Change the severity of a rule: error, warning or info.
  severity: {}
  #  ignore-without-reason: info

# Node shapes for the capacity rules when the linted tree has no Node objects
# (the fields of --node-capacity; count defaults to 1).
nodes: []
#  - cpu: "2"
#    memory: 4Gi
#    pods: 110
#    count: 3

# Kubernetes version to check API versions against (empty: the newest known).
kube-version: ""

# Build context of a Dockerfile when it is not the Dockerfile's directory
# (docker build -f docker/web/Dockerfile .). Paths are relative to this file;
# a key may be a glob (src/*/Dockerfile: .), the first that matches wins.
build-contexts: {}
#  docker/web/Dockerfile: .
#  "src/*/Dockerfile": .

# Deployment units: directories (globs relative to this file) whose objects
# are applied apart from the rest of the tree, each matching directory a unit
# of its own. Rules that compare objects (a Service and its pods, a pod and its
# ConfigMaps) compare only objects of one unit. Everything else is one unit.
units: []
#  - "extras/*"

# Helm charts (directories with Chart.yaml) are rendered as helm template does,
# offline. Per chart directory (relative to this file): extra values files
# (relative to this file or to the chart, applied after values.yaml in order,
# as -f), --set style values, the release name and namespace (default
# release-name and default), and whether the chart is linted at all.
charts: {}
#  deploy/web:
#    values: [values-production.yaml]
#    set: ["image.tag=1.4.2"]
#    release: web
#    namespace: production
#    enabled: true

# CustomResourceDefinitions installed from elsewhere (files or directories
# relative to this file, inside the project), such as cert-manager's: the
# custom resources of the tree are checked against their schemas. CRDs that
# are in the linted tree are used without being named here.
crds: []
#  - vendor/crds/cert-manager.crds.yaml
`
