package apivalid

import "github.com/k8slint/k8slint/internal/placeholder"

// The placeholder rule is placeholder's (one definition for every rule).

// IsPlaceholder is placeholder.Is: a name, a number or a quantity that a
// tool substitutes.
func IsPlaceholder(s string) bool { return placeholder.Is(s) }

// IsTemplated is placeholder.Templated: enum fields are judged unless a
// value is templated (there an all-caps NODE_PORT is simply wrong).
func IsTemplated(s string) bool { return placeholder.Templated(s) }

func isNumberPlaceholder(s string) bool { return placeholder.IsNumber(s) }
