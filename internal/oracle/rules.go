package oracle

import "strings"

// The k8slint rules an oracle error corresponds to (issue 9's contract).
const (
	RuleUnknownField   = "unknown-field"
	RuleWrongFieldType = "wrong-field-type"
	RuleMissingField   = "missing-required-field"
	RuleInvalidValue   = "invalid-value"
	RuleEnvValue       = "env-value-not-string"
	RuleDeprecatedAPI  = "deprecated-api-version"
	RuleParseError     = "parse-error"
)

// ComparedRules are the rules whose findings are held against the oracle.
var ComparedRules = []string{RuleUnknownField, RuleWrongFieldType, RuleMissingField, RuleInvalidValue, RuleEnvValue, RuleDeprecatedAPI}

// RulesFor returns the k8slint rules that report e: the first is the rule
// issue 9 names, the others are rules that may report it instead (a kind or
// version no release serves is invalid-value, a removed version
// deprecated-api-version; a non-string env value is env-value-not-string's).
// It returns nil for errors no compared rule reports (YAML syntax: parse-error).
func RulesFor(e Error) []string {
	switch e.Type {
	case TypeUnknownField, TypeDuplicateField:
		return []string{RuleUnknownField}
	case TypeWrongType:
		if strings.HasSuffix(e.Field, "env.value") {
			return []string{RuleEnvValue}
		}
		return []string{RuleWrongFieldType}
	case "FieldValueRequired":
		if e.InDocument {
			// The API server says Required of a value it rejects (a Job's
			// restartPolicy: Always, a containerPort of 0): what the user
			// wrote is an invalid value.
			return []string{RuleInvalidValue, RuleMissingField}
		}
		return []string{RuleMissingField}
	case TypeMissingKind:
		return []string{RuleMissingField}
	case TypeNoKindMatch:
		return []string{RuleInvalidValue, RuleDeprecatedAPI}
	case TypeYAML, TypeDecode:
		return nil
	}
	if !e.InDocument && e.Field != "" && emptyValue(e.Message) {
		// Invalid value 0 or "" of a field the document does not have (a
		// Service port without port, a RoleBinding without roleRef): a
		// missing field.
		return []string{RuleMissingField, RuleInvalidValue}
	}
	if e.Field != "" && emptyValue(e.Message) && strings.HasSuffix(e.Message, " is required") {
		// Invalid "" of a struct the document has, saying what it lacks
		// ("resource or service backend is required" of a backend with
		// neither): the API server prints no value, a field is missing.
		return []string{RuleMissingField, RuleInvalidValue}
	}
	// FieldValueInvalid, FieldValueNotSupported, FieldValueDuplicate,
	// FieldValueForbidden, FieldValueTooLong, FieldValueTooMany,
	// FieldValueNotFound, FieldValueTypeInvalid, BadQuantity, BadBase64.
	return []string{RuleInvalidValue}
}

func emptyValue(msg string) bool {
	for _, p := range []string{`Invalid value: 0:`, `Invalid value: "":`, `Unsupported value: "":`, `Invalid value: null:`} {
		if strings.HasPrefix(msg, p) {
			return true
		}
	}
	return false
}
