package engine

import "strings"

// maxHeadline is the longest headline (diag.Finding.Message) in characters.
const maxHeadline = 120

// splitProblem makes a loader's problem text a headline and a detail: a
// short text is the headline; of a long one, the text up to its first "; "
// is the headline and the rest the detail. A headline that is still too long
// is shortened, and the detail then keeps the whole text.
func splitProblem(msg string) (head, detail string) {
	if len([]rune(msg)) <= maxHeadline {
		return msg, ""
	}
	head, detail, _ = strings.Cut(msg, "; ")
	if r := []rune(head); len(r) > maxHeadline {
		return string(r[:maxHeadline-1]) + "…", msg
	}
	return head, detail
}
