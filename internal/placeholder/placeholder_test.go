package placeholder

import "testing"

func TestIsPlaceholder(t *testing.T) {
	for s, want := range map[string]bool{
		"$VAR": true, "${VAR}": true, "$(VAR)": true, "{{ .Values.name }}": true, "<your-project>": true,
		"__NAME__": true, "FILESTORE_CAPACITY": true, "PROJECT_ID-sa": true, "my-$app": true,
		"web": false, "Web_Server": false, "A_": false, "_X": false, "100$": false, "a<b": false,
		"NODE": false, "HTTP": false, "1Gi": false, "X_1": false, "__init": false,
	} {
		if got := Is(s); got != want {
			t.Errorf("Is(%q) = %v, want %v", s, got, want)
		}
	}
}

func TestIsNumberPlaceholder(t *testing.T) {
	for s, want := range map[string]bool{"PORT": true, "MEMORY": true, "1GB": false, "1Gi": false, "X": false, "${P}": true} {
		if got := IsNumber(s); got != want {
			t.Errorf("IsNumber(%q) = %v, want %v", s, got, want)
		}
	}
}

// TestMaybe: the quick pass never rules out what Is finds, over every
// short string of the bytes that matter and a few others.
func TestMaybe(t *testing.T) {
	alphabet := []byte("{}$<>_(Aa1-. ")
	var gen func(prefix []byte, n int)
	checked := 0
	gen = func(prefix []byte, n int) {
		s := string(prefix)
		if full := Templated(s) || hasCapsWord(s); full != Is(s) {
			t.Fatalf("Is(%q) = %v, want %v", s, Is(s), full)
		}
		checked++
		if n == 0 {
			return
		}
		for _, c := range alphabet {
			gen(append(prefix, c), n-1)
		}
	}
	gen(nil, 5)
	if checked < 100000 {
		t.Fatalf("only %d strings checked", checked)
	}
}
