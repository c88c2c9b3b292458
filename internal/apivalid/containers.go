package apivalid

import (
	"fmt"
	"strconv"

	"k8s.io/apimachinery/pkg/util/validation"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/k8slint/k8slint/internal/diag"
	"github.com/k8slint/k8slint/internal/yamlx"
)

// ctr is a container being checked.
type ctr struct {
	node   *yamlx.Node
	parent *field.Path // the pod spec's
	list   string      // containers, initContainers
	index  int
}

// path is the container's field path, built only for a problem (building
// it for every container was a megabyte of garbage a 10k run).
func (k *ctr) path() *field.Path { return k.parent.Child(k.list).Index(k.index) }

// items names the container for a finding: `containers[0] is "web"`
// (built only for a problem).
func (k *ctr) items() []string {
	return itemName(k.list+"["+strconv.Itoa(k.index)+"]", k.node)
}

// containers checks the containers and init containers of a pod spec as
// validateContainers and validateInitContainers do: names are unique among
// the containers, an init container may not repeat the name of a
// container or of an earlier init container, and an ephemeral container
// (forbidden on create: podspec.go) may repeat none of them. Host ports may not collide across the containers,
// nor inside one init container.
func (c *checker) containers(p *pod) {
	regular := map[string]bool{}
	for _, it := range p.spec.Get("containers").Items() {
		if name, ok := str(it.Get("name")); ok && name != "" {
			regular[name] = true
		}
	}
	for _, list := range []string{"containers", "initContainers", "ephemeralContainers"} {
		items := p.spec.Get(list)
		if items.NumItems() == 0 {
			continue
		}
		seen := map[string]bool{}
		switch list {
		case "initContainers":
			for n := range regular {
				seen[n] = true
			}
		case "ephemeralContainers":
			// An ephemeral container may repeat no other container's name.
			for _, other := range []string{"containers", "initContainers"} {
				for _, it := range p.spec.Get(other).Items() {
					if name, ok := str(it.Get("name")); ok && name != "" {
						seen[name] = true
					}
				}
			}
		}
		hostPorts := map[string]bool{}
		for i, it := range items.Items() {
			if it.Kind() != yamlx.Mapping {
				continue
			}
			k := p.ctrAt(it, list, i)
			c.container(p, k)
			n := it.Get("name")
			if name, ok := str(n); ok && name != "" {
				if seen[name] {
					np := k.path().Child("name")
					c.add(Problem{Node: n, Err: field.Duplicate(np, name), Short: shorten(p.short, np.String()),
						Fix: fmt.Sprintf("rename one of the containers named %q: names are unique across containers and initContainers", name)})
				}
				seen[name] = true
			}
			if list == "ephemeralContainers" {
				continue // ports are forbidden there
			}
			if list == "initContainers" {
				hostPorts = map[string]bool{} // init containers run one at a time
			}
			c.hostPorts(p, k, hostPorts)
		}
	}
}

// container checks one container (validateContainerCommon).
func (c *checker) container(p *pod, k *ctr) {
	short := p.short
	add := func(n *yamlx.Node, err *field.Error, fix string) {
		c.add(Problem{Node: n, Err: err, Short: shorten(short, err.Field), Items: k.items(), Fix: fix})
	}
	if n := k.node.Get("name"); n != nil {
		if name, ok := str(n); ok && name != "" && !IsPlaceholder(name) {
			for _, msg := range c.memo.check(fnDNSLabel, name) {
				add(n, field.Invalid(k.path().Child("name"), name, msg), fmt.Sprintf("name the container %s, such as %q", label, suggestName(name)))
			}
		}
	}
	c.enumItems(k, short, "imagePullPolicy", []string{"Always", "IfNotPresent", "Never"})
	c.enumItems(k, short, "terminationMessagePolicy", []string{"File", "FallbackToLogsOnError"})
	c.ports(p, k)
	c.probes(p, k)
	c.envNames(p, k)
	c.volumeMounts(p, k)
	if r := k.node.Get("resources"); r != nil && r.Kind() == yamlx.Mapping {
		c.resources(r, short, k)
	}
}

// enumItems is enum for a container field, naming the container.
func (c *checker) enumItems(k *ctr, short, key string, values []string) {
	n := k.node.Get(key)
	if v, ok := str(n); !ok || v == "" || has(values, v) {
		return
	}
	c.enumItemsAt(k, n, k.path().Child(key), short, values)
}

// ports checks a container's ports (validateContainerPorts). Two ports with
// the same containerPort and protocol are only a warning of the API server.
func (c *checker) ports(p *pod, k *ctr) {
	names := map[string]bool{}
	for i, it := range k.node.Get("ports").Items() {
		pp := func() *field.Path { return k.path().Child("ports").Index(i) }
		add := func(n *yamlx.Node, err *field.Error, fix string) {
			c.add(Problem{Node: n, Err: err, Short: shorten(p.short, err.Field), Items: k.items(), Fix: fix})
		}
		if n := it.Get("name"); n != nil {
			if name, ok := str(n); ok && name != "" && !IsPlaceholder(name) {
				msgs := c.memo.check(fnPortName, name)
				for _, msg := range msgs {
					add(n, field.Invalid(pp().Child("name"), name, msg), portNameFix(name))
				}
				if len(msgs) == 0 && names[name] {
					add(n, field.Duplicate(pp().Child("name"), name), "give each port of the container its own name")
				}
				names[name] = true
			}
		}
		if n := it.Get("containerPort"); n != nil {
			if v, ok := n.Int(); ok && v == 0 {
				// validateContainerPorts: 0 is not a port, and the API server
				// says so as Required.
				cp := pp().Child("containerPort")
				c.add(Problem{Node: n, Err: field.Required(cp, ""), Short: shorten(p.short, cp.String()), Items: k.items(),
					Headline: shorten(p.short, cp.String()) + ": Required value (0 is no port)",
					Fix:      "write the port the container listens on (1-65535), or remove the port"})
			}
		}
		for _, key := range []string{"containerPort", "hostPort"} {
			n := it.Get(key)
			if v, ok := n.Int(); ok && v != 0 {
				for _, msg := range validation.IsValidPortNum(int(v)) {
					add(n, field.Invalid(pp().Child(key), int32OrInt(v), msg), "a port number is between 1 and 65535")
				}
			}
		}
		if v, ok := str(it.Get("protocol")); ok && v != "" && !has(protocols, v) {
			c.enumKey(it, "protocol", pp(), p.short, protocols)
		}
	}
}

var protocols = []string{"SCTP", "TCP", "UDP"}

// int32OrInt is v as the API server prints it (an int32 field).
func int32OrInt(v int64) any {
	if v >= -1<<31 && v < 1<<31 {
		return int32(v)
	}
	return v
}

func portNameFix(name string) string {
	return "a port name is an IANA service name: at most 15 characters of a-z, 0-9 and '-', with at least one letter, no '--' and no '-' at either end (such as \"http\" or \"metrics\")"
}

// hostPorts checks that no two ports of the containers share protocol,
// hostIP and hostPort (checkHostPortConflicts).
func (c *checker) hostPorts(p *pod, k *ctr, seen map[string]bool) {
	for i, it := range k.node.Get("ports").Items() {
		n := it.Get("hostPort")
		hp, ok := n.Int()
		if !ok || hp == 0 {
			continue
		}
		proto := it.Get("protocol").Str()
		if proto == "" {
			proto = "TCP"
		}
		key := fmt.Sprintf("%s/%s/%d", proto, it.Get("hostIP").Str(), hp)
		if seen[key] {
			fp := k.path().Child("ports").Index(i).Child("hostPort")
			c.add(Problem{Node: n, Err: field.Duplicate(fp, key), Short: shorten(p.short, fp.String()), Items: k.items(),
				Fix: "use another hostPort: two ports of the pod cannot bind " + strconv.FormatInt(hp, 10) + "/" + proto + " on the node"})
		}
		seen[key] = true
	}
}

// volumeMounts checks that each mount names a volume of the pod and that
// mount paths are unique in the container (ValidateVolumeMounts).
func (c *checker) volumeMounts(p *pod, k *ctr) {
	paths := map[string]bool{}
	for i, it := range k.node.Get("volumeMounts").Items() {
		mp := func() *field.Path { return k.path().Child("volumeMounts").Index(i) }
		if n := it.Get("name"); n != nil {
			if name, ok := str(n); ok && name != "" && !IsPlaceholder(name) && !p.volumes[name] {
				fix := fmt.Sprintf("declare a volume named %q under %s.volumes, or mount one of the pod's volumes", name, p.short)
				if len(p.volumes) > 0 {
					fix = fmt.Sprintf("declare a volume named %q under %s.volumes, or mount one of %s", name, p.short, quoteAll(sortedKeys(p.volumes)))
				}
				c.add(Problem{Node: n, Err: field.NotFound(mp().Child("name"), name), Short: shorten(p.short, mp().Child("name").String()), Items: k.items(), Fix: fix})
			}
		}
		if n := it.Get("mountPath"); n != nil {
			if path, ok := str(n); ok && path != "" {
				if paths[path] {
					fp := mp().Child("mountPath")
					c.add(Problem{Node: n, Err: field.Invalid(fp, path, "must be unique"), Short: shorten(p.short, fp.String()), Items: k.items(),
						Fix: "mount each path once per container (mount a directory, or use subPath for single files)"})
				}
				paths[path] = true
			}
		}
	}
}

// probes checks the ports and schemes of a container's probes and lifecycle
// handlers (validateHTTPGetAction, validateTCPSocketAction: port 0 is not
// defaulted here) and that each has one handler type (validateHandler).
func (c *checker) probes(p *pod, k *ctr) {
	check := func(h *yamlx.Node, hp func() *field.Path) {
		if h == nil {
			return
		}
		c.oneHandler(k, h, hp, p.short)
		if g := h.Get("httpGet"); g != nil {
			c.probePort(k, g.Get("port"), func() *field.Path { return hp().Child("httpGet", "port") }, p.short)
			if v, ok := str(g.Get("scheme")); ok && v != "" && v != "HTTP" && v != "HTTPS" {
				c.enumItemsAt(k, g.Get("scheme"), hp().Child("httpGet", "scheme"), p.short, []string{"HTTP", "HTTPS"})
			}
		}
		if t := h.Get("tcpSocket"); t != nil {
			c.probePort(k, t.Get("port"), func() *field.Path { return hp().Child("tcpSocket", "port") }, p.short)
		}
	}
	for _, key := range []string{"livenessProbe", "readinessProbe", "startupProbe"} {
		check(k.node.Get(key), func() *field.Path { return k.path().Child(key) })
	}
	for _, key := range []string{"postStart", "preStop"} {
		check(k.node.Path("lifecycle", key), func() *field.Path { return k.path().Child("lifecycle", key) })
	}
}

// probePort is a handler's port: a port name or a number from 1 to 65535.
func (c *checker) probePort(k *ctr, n *yamlx.Node, fp func() *field.Path, short string) {
	if v, ok := n.Int(); ok && v == 0 {
		p := fp()
		c.add(Problem{Node: n, Err: field.Invalid(p, int32OrInt(0), validation.IsValidPortNum(0)[0]), Short: shorten(short, p.String()), Items: k.items(),
			Fix: "write the container port to probe (1-65535) or its name"})
		return
	}
	c.targetPort(n, fp, short, k.items)
}

// handlerTypes are validateHandler's handler types, in its order.
var handlerTypes = []string{"exec", "httpGet", "tcpSocket", "grpc", "sleep"}

// oneHandler is validateHandler's "may not specify more than 1 handler
// type": every handler after the first is forbidden.
func (c *checker) oneHandler(k *ctr, h *yamlx.Node, hp func() *field.Path, short string) {
	first := ""
	for _, t := range handlerTypes {
		n := h.Get(t)
		if n == nil || n.IsNull() {
			continue
		}
		if first == "" {
			first = t
			continue
		}
		fp := hp().Child(t)
		c.add(Problem{Node: h.KeyNode(t), Err: field.Forbidden(fp, "may not specify more than 1 handler type"), Short: shorten(short, fp.String()), Items: k.items(),
			Fix:     fmt.Sprintf("keep one of %s and %s: a probe or hook runs one handler", first, t),
			Related: []diag.Location{c.loc(h.KeyNode(first), first)}})
	}
}

// envNames checks a container's env var names (ValidateEnv with the
// relaxed names of RelaxedEnvironmentVariableValidation, GA since 1.34).
func (c *checker) envNames(p *pod, k *ctr) {
	for i, e := range k.node.Get("env").Items() {
		n := e.Get("name")
		name, ok := str(n)
		if !ok || name == "" || IsPlaceholder(name) {
			continue
		}
		for _, msg := range validation.IsRelaxedEnvVarName(name) {
			fp := k.path().Child("env").Index(i).Child("name")
			c.add(Problem{Node: n, Err: field.Invalid(fp, name, msg), Short: shorten(p.short, fp.String()), Items: k.items(),
				Fix: "name the variable with printable ASCII characters other than '=' (such as API_KEY)"})
		}
	}
}

// enumItemsAt is enum for a node inside a container, naming the container.
func (c *checker) enumItemsAt(k *ctr, n *yamlx.Node, fp *field.Path, short string, values []string) {
	before := len(*c.out)
	c.enum(n, fp, short, values)
	for i := before; i < len(*c.out); i++ {
		(*c.out)[i].Items = k.items()
	}
}
