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
