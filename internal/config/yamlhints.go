package config

import (
	"reflect"
	"regexp"
	"strings"
)

// unknownHint suggests what a misspelt key should have been by listing the
// keys valid at that place in the schema, found from Config's yaml tags so
// the hint can never drift from the real schema.
func unknownHint(path string) string {
	switch path {
	case "slack.app_token", "slack.bot_token", "slack.token", "slack.api_url":
		return "; tokens and the API URL are read only from the environment " +
			"(SLACK_APP_TOKEN, SLACK_BOT_TOKEN, SLACK_API_URL)"
	}
	t, ok := typeAt(reflect.TypeOf(Config{}), parentPath(path))
	if !ok || t.Kind() != reflect.Struct {
		return ""
	}
	var names []string
	for i := 0; i < t.NumField(); i++ {
		if name := yamlName(t.Field(i)); name != "" {
			names = append(names, name)
		}
	}
	return "; expected one of: " + strings.Join(names, ", ")
}

var pathSegment = regexp.MustCompile(`[^.\[\]]+|\[\d+\]`)

// typeAt follows a key path through struct fields, slices and maps.
func typeAt(t reflect.Type, path string) (reflect.Type, bool) {
	for _, seg := range pathSegment.FindAllString(path, -1) {
		switch {
		case t.Kind() == reflect.Slice && strings.HasPrefix(seg, "["):
			t = t.Elem()
		case t.Kind() == reflect.Map:
			t = t.Elem()
		case t.Kind() == reflect.Struct:
			f, ok := fieldByYAMLName(t, seg)
			if !ok {
				return nil, false
			}
			t = f.Type
		default:
			return nil, false
		}
	}
	return t, true
}

func fieldByYAMLName(t reflect.Type, name string) (reflect.StructField, bool) {
	for i := 0; i < t.NumField(); i++ {
		if yamlName(t.Field(i)) == name {
			return t.Field(i), true
		}
	}
	return reflect.StructField{}, false
}

// yamlName returns a field's YAML key, or "" if it is not in the file.
func yamlName(f reflect.StructField) string {
	name, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
	if name == "-" || !f.IsExported() {
		return ""
	}
	if name == "" {
		return strings.ToLower(f.Name)
	}
	return name
}

// describeType names a Go type the way the file's author thinks of it.
func describeType(goType string) string {
	switch {
	case strings.HasPrefix(goType, "[]"):
		return "a list"
	case strings.HasPrefix(goType, "map["):
		return "a mapping of keys to settings"
	case goType == "config.Duration":
		return "a duration such as 15m"
	case strings.HasPrefix(goType, "int"), strings.HasPrefix(goType, "uint"), strings.HasPrefix(goType, "float"):
		return "a number"
	case goType == "bool":
		return "true or false"
	case goType == "string", goType == "config.Action", goType == "config.ConfirmBy":
		return "a single value"
	default:
		return "a mapping of keys to settings"
	}
}

// describeGot names what the file actually has at that place.
func describeGot(tag, val string) string {
	switch tag {
	case "!!seq":
		return "a list"
	case "!!map":
		return "a mapping"
	case "!!null":
		return "nothing"
	default:
		return "`" + val + "`"
	}
}
