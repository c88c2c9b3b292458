package apivalid

import (
	"fmt"
	"regexp"
	"strings"
	"time"
	// The API server checks a CronJob's timeZone with time.LoadLocation; the
	// embedded database makes the answer the same on every machine (a
	// container image without /usr/share/zoneinfo would know no zone).
	_ "time/tzdata"

	"github.com/robfig/cron/v3"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/k8slint/k8slint/internal/yamlx"
)

func (c *checker) job() {
	spec := c.o.Root.Get("spec")
	if v, ok := spec.Get("manualSelector").Bool(); ok && v {
		c.selectorMatches([]string{"spec", "selector"}, templatePath)
	} else {
		c.generatedSelector(spec, specPath, c.o.Name)
	}
	c.enumKey(spec, "completionMode", specPath, "", []string{"NonIndexed", "Indexed"})
}

// The labels the Job registry puts on the pods of a Job whose selector it
// generates (generateSelector, k8s.io/kubernetes pkg/registry/batch/job):
// the selector must select them. A Job's UID is not known before it is
// created, so a selector on controller-uid cannot match.
const (
	controllerUID      = "controller-uid"
	jobName            = "job-name"
	batchControllerUID = "batch.kubernetes.io/controller-uid"
	batchJobName       = "batch.kubernetes.io/job-name"
	// newUID stands for the UID the new Job gets.
	newUID = "00000000-0000-0000-0000-000000000000"
)

// generatedSelector is validateGeneratedSelector: without manualSelector:
// true, the registry adds controller-uid to the selector the manifest
// writes, and that selector must match the labels it gives the pods.
func (c *checker) generatedSelector(spec *yamlx.Node, sp *field.Path, name string) {
	sn := spec.Get("selector")
	if sn == nil || sn.Kind() != yamlx.Mapping || sn.Len() == 0 || !onlySelectorKeys(sn) {
		return
	}
	sel, ok := c.labelSelector(sn, sp.Child("selector"))
	if !ok || len(sel.MatchLabels)+len(sel.MatchExpressions) == 0 || IsPlaceholder(name) {
		return
	}
	if _, has := sel.MatchLabels[batchControllerUID]; !has {
		sel.MatchLabels[batchControllerUID] = newUID
	}
	selector, err := metav1.LabelSelectorAsSelector(sel)
	if err != nil {
		return
	}
	expected := labels.Set{controllerUID: newUID, jobName: name, batchControllerUID: newUID, batchJobName: name}
	if selector.Matches(expected) {
		return
	}
	c.add(Problem{Node: spec.KeyNode("selector"), Err: field.Invalid(sp.Child("selector"), sel, "`selector` not auto-generated"),
		Headline: sp.Child("selector").String() + ": Invalid value: `selector` not auto-generated (manualSelector is not true)",
		Fix:      "remove the selector: the Job controller generates one (controller-uid) and labels the pods with it; or set manualSelector: true and make the selector match the template's labels"})
}

func (c *checker) cronJob() {
	spec := c.o.Root.Get("spec")
	sp := specPath
	c.enumKey(spec, "concurrencyPolicy", sp, "", []string{"Allow", "Forbid", "Replace"})
	jp := sp.Child("jobTemplate", "spec")
	js := spec.Path("jobTemplate", "spec")
	c.enumKey(js, "completionMode", jp, "", []string{"NonIndexed", "Indexed"})
	if n := js.Get("manualSelector"); n != nil {
		if v, ok := n.Bool(); ok && v {
			c.add(Problem{Node: n, Err: field.NotSupported(jp.Child("manualSelector"), true, []string{"nil", "false"}),
				Fix: "remove manualSelector: the CronJob controller sets each Job's selector itself"})
		}
	}
	// ValidateJobTemplateSpec: the controller generates each Job's selector.
	if sel := js.Get("selector"); sel != nil && !sel.IsNull() {
		if bad, ok := selectorValue(sel); ok {
			c.add(Problem{Node: js.KeyNode("selector"), Err: field.Invalid(jp.Child("selector"), bad, "`selector` will be auto-generated"),
				Fix: "remove the selector: the CronJob controller gives each Job a generated selector and labels its pods with it"})
		}
	}
	c.timeZone(spec.Get("timeZone"), sp.Child("timeZone"))
	n := spec.Get("schedule")
	s, ok := str(n)
	if !ok || s == "" || IsTemplated(s) {
		return // CRON_TZ= is not a placeholder here
	}
	c.schedule(n, s, sp.Child("schedule"))
}

// selectorValue is a label selector as the API server prints it; ok is
// false when it holds placeholders or values that are not strings.
func selectorValue(n *yamlx.Node) (*metav1.LabelSelector, bool) {
	if n.Kind() != yamlx.Mapping {
		return nil, false
	}
	sel := &metav1.LabelSelector{}
	if ml := n.Get("matchLabels"); ml != nil && !ml.IsNull() {
		m, ok := stringMap(ml)
		if !ok {
			return nil, false
		}
		sel.MatchLabels = m
	}
	for _, e := range n.Get("matchExpressions").Items() {
		key, _ := str(e.Get("key"))
		op, _ := str(e.Get("operator"))
		r := metav1.LabelSelectorRequirement{Key: key, Operator: metav1.LabelSelectorOperator(op)}
		for _, v := range e.Get("values").Items() {
			s, _ := str(v)
			r.Values = append(r.Values, s)
		}
		sel.MatchExpressions = append(sel.MatchExpressions, r)
	}
	return sel, true
}

// validTimeZoneCharacters is the API server's own pattern for a part of a
// zone name (k8s.io/kubernetes pkg/apis/batch/validation), checked before
// time.LoadLocation so that no file outside the zone database is read.
var validTimeZoneCharacters = regexp.MustCompile(`^[A-Za-z\.\-_0-9+]{1,14}$`)

// timeZone is validateTimeZone.
func (c *checker) timeZone(n *yamlx.Node, p *field.Path) {
	tz, ok := str(n)
	if !ok || IsTemplated(tz) {
		return
	}
	fix := "write an IANA time zone name such as \"Etc/UTC\", \"Europe/Paris\" or \"America/New_York\", or remove timeZone (the controller's zone)"
	if tz == "" {
		c.invalid(n, field.Invalid(p, tz, "timeZone must be nil or non-empty string"), fix)
		return
	}
	for _, part := range strings.Split(tz, "/") {
		if part == "." || part == ".." || strings.HasPrefix(part, "-") || !validTimeZoneCharacters.MatchString(part) {
			c.invalid(n, field.Invalid(p, tz, fmt.Sprintf("unknown time zone %s", tz)), fix)
			return
		}
	}
	if strings.EqualFold(tz, "Local") {
		c.invalid(n, field.Invalid(p, tz, "timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones"), fix)
		return
	}
	if _, err := time.LoadLocation(tz); err != nil {
		c.invalid(n, field.Invalid(p, tz, err.Error()), fix)
	}
}

// schedule checks a CronJob schedule as validateScheduleFormat does: the
// controller's parser, robfig/cron's ParseStandard (panics recovered as the
// API server does), and no TZ or CRON_TZ prefix.
func (c *checker) schedule(n *yamlx.Node, s string, p *field.Path) {
	if _, err := parseCron(s); err != nil {
		c.add(Problem{Node: n, Err: field.Invalid(p, s, err.Error()),
			Fix: "write five fields: minute hour day-of-month month day-of-week (\"*/5 * * * *\", \"0 3 * * 1-5\"), or @hourly, @daily, @weekly, @monthly, @yearly, @every 1h30m"})
		return
	}
	if strings.Contains(s, "TZ") {
		// On create the API server allows no TZ at all (allowTZInSchedule
		// is for objects that already have one).
		c.add(Problem{Node: n, Err: field.Invalid(p, s, "cannot use TZ or CRON_TZ in schedule, use timeZone field instead"),
			Fix: "remove the TZ= or CRON_TZ= prefix and set spec.timeZone (\"Europe/Paris\")"})
	}
}

// parseCron is k8s.io/kubernetes pkg/util/parsers.ParseCronScheduleWithPanicRecovery.
func parseCron(s string) (sched cron.Schedule, err error) {
	defer func() {
		if r := recover(); r != nil {
			sched, err = nil, fmt.Errorf("invalid schedule format: %v", r)
		}
	}()
	return cron.ParseStandard(s)
}
