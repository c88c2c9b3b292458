package load

import (
	"fmt"
	"strings"

	"github.com/k8slint/k8slint/internal/yamlx"
)

// Origin tells where an embedded config comes from: a value of a ConfigMap's
// data (or a Secret's stringData) in a manifest.
type Origin struct {
	Kind      string // ConfigMap or Secret
	Namespace string // "" for the default namespace
	Name      string
	Key       string // the data key, the file name when mounted
	// Line and Column are where the value starts in the manifest.
	Line, Column int
	// Exact is false when positions inside the value could not be mapped to
	// the manifest (a multi-line quoted or folded string): every position is
	// then the value's start.
	Exact bool
}

func (o *Origin) String() string {
	field := "data"
	if o.Kind == "Secret" {
		field = "stringData"
	}
	return fmt.Sprintf("%s %q %s key %q", o.Kind, o.Name, field, o.Key)
}

// LoadRedisText reads Redis config text embedded in the file at path; pos
// maps positions inside the text to the file.
func LoadRedisText(path, text string, pos Pos) *ConfFile {
	return &ConfFile{Path: path, Kind: RedisConf, Directives: parseRedisLines(text, pos)}
}

// LoadMongoText reads mongod config text embedded in the file at path: YAML
// when it is a YAML mapping, else the legacy `key = value` form. pos maps
// positions inside the text to the file (YAML nodes are moved there too).
func LoadMongoText(path, text string, pos Pos) *ConfFile {
	cf := &ConfFile{Path: path, Kind: MongoConf}
	docs := yamlx.ParseStream([]byte(text))
	if len(docs) >= 1 && docs[0].Root != nil && docs[0].Root.Kind() == yamlx.Mapping {
		cf.YAML = docs[0].Root
		if pos != nil {
			movePositions(cf.YAML, pos, map[*yamlx.Node]bool{})
		}
		return cf
	}
	cf.Directives = ParseMongoLegacy(text, pos)
	return cf
}

func movePositions(n *yamlx.Node, pos Pos, seen map[*yamlx.Node]bool) {
	if n == nil || seen[n] {
		return
	}
	seen[n] = true
	line := int(n.Line)
	l, c := pos(line, int(n.Column))
	el, ec := 0, 0
	if n.EndLine() > 0 {
		el, ec = pos(int(n.EndLine()), int(n.EndColumn()))
		if el != l || ec <= c {
			el, ec = 0, 0
		}
	}
	n.Line, n.Column = int32(l), int32(c)
	n.SetEnd(int32(el), int32(ec))
	for _, ch := range n.Children() {
		movePositions(ch, pos, seen)
	}
}

// IsRedisConfig reports whether directives read like a Redis config: no
// `key = value` or `[section]` lines (an stunnel config named redis.conf
// has those) and at least one directive Redis knows.
func IsRedisConfig(ds []Directive) bool {
	known := false
	for _, d := range ds {
		if strings.HasPrefix(d.Name, "[") || strings.Contains(d.Name, "=") || len(d.Args) > 0 && strings.HasPrefix(d.Args[0].Value, "=") {
			return false
		}
		if redisDirectives()[d.Name] {
			known = true
		}
	}
	return known
}

// genericDirectives are Redis directive names that other servers use too.
var genericDirectives = map[string]bool{
	"port": true, "bind": true, "timeout": true, "dir": true, "daemonize": true, "pidfile": true,
	"logfile": true, "loglevel": true, "include": true, "user": true, "tcp-keepalive": true,
	"maxclients": true, "syslog-enabled": true, "syslog-ident": true, "syslog-facility": true,
	"unixsocket": true, "unixsocketperm": true, "supervised": true, "monitor": true,
}

// looksLikeRedis is the strict test for a value whose key does not name a
// Redis config: every directive is a Redis one (or a module's `name.option`)
// and at least one is specific to Redis.
func looksLikeRedis(ds []Directive) bool {
	if len(ds) < 2 || !IsRedisConfig(ds) {
		return false
	}
	specific := false
	for _, d := range ds {
		if !redisDirectives()[d.Name] && !strings.Contains(d.Name, ".") {
			return false
		}
		if redisDirectives()[d.Name] && !genericDirectives[d.Name] {
			specific = true
		}
	}
	return specific
}

// mongoSections are the top-level sections of a YAML mongod/mongos config.
var mongoSections = map[string]bool{
	"net": true, "storage": true, "systemLog": true, "processManagement": true, "security": true,
	"replication": true, "sharding": true, "operationProfiling": true, "setParameter": true,
	"auditLog": true, "snmp": true, "cloud": true, "tls": true, "queryableBackupMode": true,
}

// mongoLegacyKeys are options of the legacy key=value mongod config, lower-case.
var mongoLegacyKeys = map[string]bool{
	"bind_ip": true, "bind_ip_all": true, "port": true, "dbpath": true, "logpath": true, "logappend": true,
	"fork": true, "auth": true, "noauth": true, "journal": true, "nojournal": true, "replset": true,
	"configsvr": true, "shardsvr": true, "keyfile": true, "pidfilepath": true, "quiet": true,
	"directoryperdb": true, "smallfiles": true, "oplogsize": true, "maxconns": true, "objcheck": true,
	"noscripting": true, "nounixsocket": true, "unixsocketprefix": true, "syslog": true, "ipv6": true,
	"nohttpinterface": true, "rest": true, "cpu": true, "verbose": true, "diaglog": true, "nssize": true,
	"profile": true, "slowms": true, "configdb": true, "storageengine": true, "sslmode": true,
	"httpinterface": true, "jsonp": true, "notablescan": true, "noprealloc": true, "master": true,
	"slave": true, "source": true, "only": true, "autoresync": true, "chunksize": true,
}

// IsMongoConfig reports whether a config read as mongod's looks like one: a
// YAML mapping with a mongod section, or legacy lines with a mongod option.
func IsMongoConfig(cf *ConfFile) bool {
	if cf.YAML != nil {
		ok := false
		cf.YAML.Pairs(func(k, _ *yamlx.Node) {
			if mongoSections[k.Value()] {
				ok = true
			}
		})
		return ok
	}
	for _, d := range cf.Directives {
		if mongoLegacyKeys[d.Name] {
			return true
		}
	}
	return false
}

// looksLikeMongo is the strict test for a value whose key does not name a
// mongod config: YAML whose top-level keys are all mongod sections, with
// `net` and another one; or legacy lines, all of them mongod options, with
// dbpath and a bind option.
func looksLikeMongo(cf *ConfFile) bool {
	if cf.YAML != nil {
		n, all, net := 0, true, false
		cf.YAML.Pairs(func(k, _ *yamlx.Node) {
			n++
			all = all && mongoSections[k.Value()]
			net = net || k.Value() == "net"
		})
		return all && net && n >= 2
	}
	if len(cf.Directives) < 2 {
		return false
	}
	has := map[string]bool{}
	for _, d := range cf.Directives {
		if !mongoLegacyKeys[d.Name] {
			return false
		}
		has[d.Name] = true
	}
	return has["dbpath"] && (has["bind_ip"] || has["bind_ip_all"])
}

// LoadEmbedded reads a ConfigMap value as a mongod or Redis config when its
// key names one (mongod.conf, mongodb.conf, redis.conf, sentinel.conf...)
// and its content agrees, or when the content clearly is one. It returns nil
// for anything else.
func LoadEmbedded(path, key, text string, pos Pos) *ConfFile {
	lower := strings.ToLower(key)
	hasExt := func(exts ...string) bool {
		for _, e := range exts {
			if strings.HasSuffix(lower, e) {
				return true
			}
		}
		return false
	}
	switch {
	case strings.HasPrefix(lower, "mongo") && hasExt(".conf", ".cfg", ".yaml", ".yml"):
		if cf := LoadMongoText(path, text, pos); IsMongoConfig(cf) {
			return cf
		}
		return nil
	case (strings.HasPrefix(lower, "redis") || strings.HasPrefix(lower, "sentinel")) && hasExt(".conf"):
		if cf := LoadRedisText(path, text, pos); IsRedisConfig(cf.Directives) {
			return cf
		}
		return nil
	}
	if strings.Contains(text, "bindIp") || strings.Contains(text, "bind_ip") {
		if cf := LoadMongoText(path, text, pos); looksLikeMongo(cf) {
			return cf
		}
	}
	if cf := LoadRedisText(path, text, pos); looksLikeRedis(cf.Directives) {
		return cf
	}
	return nil
}
