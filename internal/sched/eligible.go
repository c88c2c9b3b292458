package sched

import (
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// Which nodes accept which pods, before resources. A pod's constraint is
// its node selector, tolerations, node name and whether a DaemonSet binds
// it. Nodes fall into taint classes (same cordon and NoSchedule/NoExecute
// taints): a constraint's verdict on taints is computed once per class,
// and node selectors are answered from an index of node labels, so that
// neither costs nodes × workloads.

const (
	reasonNodeName = "node(s) didn't match the requested node name"
	reasonSelector = "node(s) didn't match Pod's node affinity/selector"
)

type labelPair struct{ key, value string }

// constraint is what a pod asks of a node apart from room.
type constraint struct {
	nodeSelector map[string]string
	tolerations  []toleration
	nodeName     string
	daemon       bool
	selSig       string
	// strict is set when a cordoned node refuses the pod (not a DaemonSet
	// pod, no node name).
	strict bool
	// reached holds the verdict on the taint classes that have a taint
	// one of the pod's tolerations names; every other class refuses the
	// pod as it refuses a pod without tolerations (its default verdict).
	reached map[int]string
	sel     *selection
	set     *nodeSet // the nodes that accept the pod (nil until needed)
	refused *refused // refusals (nil until needed)
}

// selection is the nodes that pass a node selector, with their count per taint class.
type selection struct {
	all   bool    // no selector (or nodes without known labels): every node
	nodes []int32 // ascending, when !all
	// Nodes per taint class: every class's when all (shared with the
	// model), else only the classes of the selected nodes (a map, so that
	// many selectors over many classes do not cost selectors × classes).
	perClass    []int
	perClassSub map[int]int
	// Per strictness (0 lenient, 1 strict): refusals by default verdict,
	// the same sorted by count (most first) and their sum, and the nodes of
	// the default-eligible classes (built when needed).
	hist     [2]map[string]int
	ranked   [2][]reasonCount
	histSum  [2]int
	open     [2][]int32
	openDone [2]bool
}

// reasonCount is one refusal reason and the nodes that give it.
type reasonCount struct {
	why string
	n   int
}

// perTaint is the number of selected nodes in taint class t.
func (sel *selection) perTaint(t int) int {
	if sel.all {
		return sel.perClass[t]
	}
	return sel.perClassSub[t]
}

// nodeSet is a set of eligible nodes, shared by the constraints that
// accept the same nodes.
type nodeSet struct {
	nodes []int32 // ascending
	open  []int32 // nodes minus those found full during placement
	agg   *aggregates
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// verdict explains why the nodes of taint class t refuse a pod of c for
// their cordon or taints ("" when they do not).
func (c *constraint) verdict(m *Model, t int) string {
	if r, ok := c.reached[t]; ok {
		return r
	}
	return m.defaultVerdict[b2i(c.strict)][t]
}

// why explains why n refuses a pod of c before resources ("" when it does not).
func (c *constraint) why(m *Model, n *Node) string {
	if c.nodeName != "" && n.Obj != nil && c.nodeName != n.Name {
		return reasonNodeName
	}
	if n.labelsKnown {
		for k, v := range c.nodeSelector {
			if lv, ok := n.labels[k]; !ok || lv != v {
				return reasonSelector
			}
		}
	}
	return c.verdict(m, n.tclass)
}

// taintVerdict explains why node n refuses a pod of c for its cordon or taints.
func (m *Model) taintVerdict(n *Node, tolerations []toleration, strict bool) string {
	if n.unschedulable && strict {
		return "node(s) were unschedulable"
	}
	for _, tn := range n.taints {
		tolerated := false
		for _, tl := range tolerations {
			if tl.tolerates(tn) {
				tolerated = true
				break
			}
		}
		if !tolerated {
			return m.taintText(tn)
		}
	}
	return ""
}

// taintText is the scheduler's reason for an untolerated taint, built once per taint.
func (m *Model) taintText(tn taint) string {
	if s, ok := m.taintTexts[tn]; ok {
		return s
	}
	s := fmt.Sprintf("node(s) had untolerated taint {%s: }", tn.key)
	if tn.value != "" {
		s = fmt.Sprintf("node(s) had untolerated taint {%s: %s}", tn.key, tn.value)
	}
	m.taintTexts[tn] = s
	return s
}

// indexNodes sorts the nodes into taint classes, computes each class's
// verdict on a pod without tolerations, and indexes the taint keys and the
// labels that some node selector names.
func (m *Model) indexNodes(selectorKeys map[string]bool) {
	index := map[string]int{}
	m.labelIndex = map[labelPair][]int32{}
	m.taintIndex = map[string][]int{}
	m.taintTexts = map[taint]string{}
	var b strings.Builder
	for i, n := range m.Nodes {
		n.index = int32(i)
		b.Reset()
		if n.unschedulable {
			b.WriteString("U|")
		}
		for _, t := range n.taints {
			b.WriteString(strconv.Quote(t.key) + strconv.Quote(t.value) + t.effect + ";")
		}
		key := b.String()
		c, ok := index[key]
		if !ok {
			c = len(m.taintClasses)
			index[key] = c
			m.taintClasses = append(m.taintClasses, n)
			m.taintSizes = append(m.taintSizes, 0)
			m.byTaint = append(m.byTaint, nil)
			for s := range 2 {
				m.defaultVerdict[s] = append(m.defaultVerdict[s], m.taintVerdict(n, nil, s == 1))
			}
			seen := map[string]bool{}
			for _, t := range n.taints {
				if !seen[t.key] {
					seen[t.key] = true
					m.taintIndex[t.key] = append(m.taintIndex[t.key], c)
				}
			}
		}
		n.tclass = c
		m.taintSizes[c]++
		m.byTaint[c] = append(m.byTaint[c], int32(i))
		if n.labelsKnown {
			m.labelsKnown = true
			for k, v := range n.labels {
				if selectorKeys[k] {
					p := labelPair{k, v}
					m.labelIndex[p] = append(m.labelIndex[p], int32(i))
				}
			}
		}
	}
}

func (m *Model) constraintOf(s *Shape, daemon bool) *constraint {
	var b strings.Builder
	writeSelector(&b, s.nodeSelector)
	selSig := b.String()
	writeTolerations(&b, s.tolerations)
	key := strconv.FormatBool(daemon) + "|" + strconv.Quote(s.nodeName) + "|" + b.String()
	if c, ok := m.cons[key]; ok {
		return c
	}
	c := &constraint{nodeSelector: s.nodeSelector, tolerations: s.tolerations, nodeName: s.nodeName, daemon: daemon, selSig: selSig}
	c.strict = !daemon && s.nodeName == ""
	// The classes a toleration may change: those with a taint of the key it
	// names (all of them for a toleration without a key).
	c.reached = map[int]string{}
	all := false
	for _, tl := range s.tolerations {
		if tl.key == "" && tl.operator == "Exists" {
			all = true
		}
	}
	reach := func(t int) {
		if _, done := c.reached[t]; !done {
			c.reached[t] = m.taintVerdict(m.taintClasses[t], s.tolerations, c.strict)
		}
	}
	if all {
		for t := range m.taintClasses {
			reach(t)
		}
	} else {
		for _, tl := range s.tolerations {
			for _, t := range m.taintIndex[tl.key] {
				reach(t)
			}
		}
	}
	c.sel = m.selectionOf(c)
	m.cons[key] = c
	return c
}

// selectionOf returns the nodes that pass c's node selector (shared by
// the constraints with the same selector).
func (m *Model) selectionOf(c *constraint) *selection {
	if len(c.nodeSelector) == 0 || !m.labelsKnown {
		if m.allNodes == nil {
			m.allNodes = &selection{all: true, perClass: m.taintSizes}
		}
		return m.allNodes
	}
	if sel, ok := m.selections[c.selSig]; ok {
		return sel
	}
	// The nodes with the rarest of the selector's labels, then the others checked.
	var cand []int32
	first := true
	for k, v := range c.nodeSelector {
		l := m.labelIndex[labelPair{k, v}]
		if first || len(l) < len(cand) {
			cand, first = l, false
		}
	}
	sel := &selection{perClassSub: map[int]int{}}
	for _, i := range cand {
		n := m.Nodes[i]
		ok := true
		for k, v := range c.nodeSelector {
			if lv, has := n.labels[k]; !has || lv != v {
				ok = false
				break
			}
		}
		if ok {
			sel.nodes = append(sel.nodes, i)
			sel.perClassSub[n.tclass]++
		}
	}
	m.selections[c.selSig] = sel
	return sel
}

// defaults returns, for a selection and strictness, the refusals by
// default verdict and the nodes of the classes that accept a pod without
// tolerations.
func (m *Model) defaults(sel *selection, strict int) (map[string]int, []int32) {
	if !sel.openDone[strict] {
		sel.openDone[strict] = true
		hist := map[string]int{}
		var open []int32
		if sel.all {
			for t, r := range m.defaultVerdict[strict] {
				if r != "" {
					hist[r] += m.taintSizes[t]
				} else {
					open = append(open, m.byTaint[t]...)
				}
			}
			slices.Sort(open)
		} else {
			for _, i := range sel.nodes {
				if r := m.defaultVerdict[strict][m.Nodes[i].tclass]; r != "" {
					hist[r]++
				} else {
					open = append(open, i)
				}
			}
		}
		ranked := make([]reasonCount, 0, len(hist))
		sum := 0
		for why, n := range hist {
			ranked = append(ranked, reasonCount{why, n})
			sum += n
		}
		sortReasons(ranked)
		sel.hist[strict], sel.open[strict], sel.ranked[strict], sel.histSum[strict] = hist, open, ranked, sum
	}
	return sel.hist[strict], sel.open[strict]
}

// boundNode is, for a pod with a node name among Node objects, that node (nil when absent).
func (m *Model) boundNode(c *constraint) (*Node, bool) {
	if c.nodeName == "" || len(m.byName) == 0 {
		return nil, false
	}
	return m.byName[c.nodeName], true
}

// eligible returns the set of nodes that accept pods of c.
func (m *Model) eligible(c *constraint) *nodeSet {
	if c.set != nil {
		return c.set
	}
	var nodes []int32
	var key string
	if n, bound := m.boundNode(c); bound {
		key = "\x00none"
		if n != nil && c.why(m, n) == "" {
			nodes = []int32{n.index}
			key = "\x00node " + strconv.Quote(c.nodeName)
		}
	} else {
		// The default-eligible nodes, changed by the reached classes.
		// (Tolerations only accept more: no class is lost.)
		var gained []int
		for t, r := range c.reached {
			if r == "" && c.sel.perTaint(t) > 0 && m.defaultVerdict[b2i(c.strict)][t] != "" {
				gained = append(gained, t)
			}
		}
		slices.Sort(gained)
		key = c.selSig + strconv.FormatBool(c.strict) + "|" + fmt.Sprint(gained)
		if set, ok := m.sets[key]; ok {
			c.set = set
			return set
		}
		_, open := m.defaults(c.sel, b2i(c.strict))
		nodes = slices.Clone(open)
		for _, t := range gained {
			if c.sel.all {
				nodes = append(nodes, m.byTaint[t]...)
			} else {
				for _, i := range c.sel.nodes {
					if m.Nodes[i].tclass == t {
						nodes = append(nodes, i)
					}
				}
			}
		}
		if len(gained) > 0 {
			slices.Sort(nodes)
		}
	}
	if set, ok := m.sets[key]; ok {
		c.set = set
		return set
	}
	set := &nodeSet{nodes: nodes, open: slices.Clone(nodes)}
	m.sets[key] = set
	c.set = set
	return set
}

// schedulable reports whether some node accepts pods of c.
func (m *Model) schedulable(c *constraint) bool {
	if n, bound := m.boundNode(c); bound {
		return n != nil && c.why(m, n) == ""
	}
	if _, open := m.defaults(c.sel, b2i(c.strict)); len(open) > 0 {
		return true
	}
	for t, r := range c.reached {
		if r == "" && c.sel.perTaint(t) > 0 {
			return true
		}
	}
	return false
}

// MaxReasons bounds the refusal reasons a failure names: nodes with a
// taint each of their own would otherwise make a message per workload as
// long as the node list (the scheduler's event names them all).
const MaxReasons = 8

// refused is the refusals of a constraint's pods before resources: the
// MaxReasons reasons that most nodes give, and how many other reasons and
// nodes there are.
type refused struct {
	top               map[string]int
	moreReasons, more int
}

// sortReasons orders reasons by count, most first, then by text.
func sortReasons(rs []reasonCount) {
	slices.SortFunc(rs, func(a, b reasonCount) int {
		if a.n != b.n {
			return b.n - a.n
		}
		return strings.Compare(a.why, b.why)
	})
}

// refusals counts, per reason, the nodes that refuse pods of c before
// resources, keeping the MaxReasons largest: the selection's refusals by
// default verdict (ranked once) changed by the few classes that c's
// tolerations reach, so that a constraint costs its own reach, not the
// number of reasons.
func (m *Model) refusals(c *constraint) refused {
	delta := map[string]int{}
	var hist map[string]int
	var ranked []reasonCount
	sum := 0
	if n, bound := m.boundNode(c); bound {
		others := len(m.Nodes)
		if n != nil {
			others--
			if why := c.why(m, n); why != "" {
				delta[why]++
			}
		}
		if others > 0 {
			delta[reasonNodeName] += others
		}
	} else {
		if !c.sel.all {
			if k := len(m.Nodes) - len(c.sel.nodes); k > 0 {
				delta[reasonSelector] += k
			}
		}
		hist, _ = m.defaults(c.sel, b2i(c.strict))
		ranked, sum = c.sel.ranked[b2i(c.strict)], c.sel.histSum[b2i(c.strict)]
		for t, r := range c.reached {
			k := c.sel.perTaint(t)
			if k == 0 {
				continue
			}
			if def := m.defaultVerdict[b2i(c.strict)][t]; def != "" {
				delta[def] -= k
			}
			if r != "" {
				delta[r] += k
			}
		}
	}
	// The largest after the change are among the first MaxReasons +
	// len(delta) of the ranking and the changed reasons.
	cand := map[string]int{}
	for _, rc := range ranked[:min(len(ranked), MaxReasons+len(delta))] {
		cand[rc.why] = rc.n
	}
	reasons := len(hist)
	for why, d := range delta {
		before := hist[why]
		after := before + d
		switch {
		case before == 0 && after > 0:
			reasons++
		case before > 0 && after <= 0:
			reasons--
		}
		sum += d
		if after > 0 {
			cand[why] = after
		} else {
			delete(cand, why)
		}
	}
	list := make([]reasonCount, 0, len(cand))
	for why, n := range cand {
		list = append(list, reasonCount{why, n})
	}
	sortReasons(list)
	out := refused{top: map[string]int{}}
	shown := 0
	for _, rc := range list[:min(len(list), MaxReasons)] {
		out.top[rc.why] = rc.n
		shown += rc.n
	}
	out.moreReasons, out.more = reasons-len(out.top), sum-shown
	return out
}

func writeSelector(b *strings.Builder, sel map[string]string) {
	keys := make([]string, 0, len(sel))
	for k := range sel {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		b.WriteString(strconv.Quote(k) + "=" + strconv.Quote(sel[k]) + ";")
	}
	b.WriteByte('|')
}

func writeTolerations(b *strings.Builder, ts []toleration) {
	for _, t := range ts {
		b.WriteString(strconv.Quote(t.key) + "/" + strconv.Quote(t.operator) + "/" + strconv.Quote(t.value) + "/" + strconv.Quote(t.effect) + ";")
	}
	b.WriteByte('|')
}
