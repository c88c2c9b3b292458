package settings

import (
	"strings"
	"testing"
)

func TestParseNodeCapacity(t *testing.T) {
	for _, tc := range []struct {
		in    string
		count int
		err   string
	}{
		{"cpu=2,memory=4Gi", 1, ""},
		{"cpu=2,memory=4Gi,pods=110,count=3", 3, ""},
		{"cpu=500m,nvidia.com/gpu=1", 1, ""},
		{"cpu=1,hugepages-2Mi=1Gi", 1, ""},
		{"cpu=1,ephemeral-storage=20Gi,count=100000", 100000, ""},
		{"cpu=two", 0, "not a Kubernetes quantity"},
		{"cpu=-1", 0, "not a Kubernetes quantity"},
		{"cpu", 0, "want NAME=QUANTITY"},
		{"count=0,cpu=1", 0, "whole number"},
		{"count=100001,cpu=1", 0, "from 1 to 100000"},
		{"count=1000000000000,cpu=1", 0, "from 1 to 100000"},
		{"count=99999999999999999999999,cpu=1", 0, "whole number"},
		{"count=3", 0, "gives no resource"},
		{"cpu=1,cpu=2", 0, "twice"},
		{"cpu=1,count=2,count=3", 0, "twice"},
		// Neither a known resource nor domain-qualified: a mistake, not an extended resource.
		{"cpu=2,mem=1Gi", 0, `"mem": not a node resource`},
		{"gpu=1", 0, "not a node resource"},
		{"cpu=1,kubernetes.io/gpu=1", 0, "not a node resource"},
		{"cpu=1,nvidia.com/=1", 0, "not a node resource"},
		{"cpu=1,hugepages-big=1", 0, "not a node resource"},
	} {
		n, err := ParseNodeCapacity(tc.in)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("%q: err %v, want %q", tc.in, err, tc.err)
			}
			continue
		}
		if err != nil || n.Count != tc.count {
			t.Errorf("%q: %+v, %v", tc.in, n, err)
		}
	}
}

func TestParseQuantity(t *testing.T) {
	for in, want := range map[string]int64{
		"500m": 500, "1.5": 1500, "4Gi": 4 << 30 * 1000, "0": 0,
		// Beyond what sums may hold: capped, never wrapped.
		"9999999999999999999Ei": MaxMilli, "1e300": MaxMilli,
	} {
		got, err := ParseQuantity(in)
		if err != nil || got != want {
			t.Errorf("ParseQuantity(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"", "two", "-1", "1.2.3", "5 Gi"} {
		if _, err := ParseQuantity(in); err == nil {
			t.Errorf("ParseQuantity(%q): no error", in)
		}
	}
}

func TestParseKubeVersion(t *testing.T) {
	for in, want := range map[string]string{"1.16": "1.16", "v1.30": "1.30", "1.33.2": "1.33", " 1.9 ": "1.9"} {
		v, err := ParseKubeVersion(in)
		if err != nil || v.String() != want {
			t.Errorf("ParseKubeVersion(%q) = %v, %v; want %s", in, v, err, want)
		}
	}
	for _, in := range []string{"", "latest", "2.0", "1", "1.x", "1.+3", "1.-3", "1.2.3.4", "1.99999999999999999999"} {
		if _, err := ParseKubeVersion(in); err == nil {
			t.Errorf("ParseKubeVersion(%q): no error", in)
		}
	}
}
