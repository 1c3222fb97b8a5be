package config

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// nodeIndex remembers where each key of the parsed file is, so yaml.v3's
// line-numbered messages can be turned into key paths ("pools[1].id") and
// problems can be sorted in file order.
type nodeIndex struct {
	keys    map[int][]indexed // mapping keys by line
	values  map[int][]indexed // values and list items by line, outermost first
	lines   map[string]int    // key path → line
	present map[string]bool   // key paths with a non-null value
	used    map[*yaml.Node]bool
}

type indexed struct {
	path string
	node *yaml.Node
}

func indexNodes(root *yaml.Node) *nodeIndex {
	ix := &nodeIndex{
		keys: map[int][]indexed{}, values: map[int][]indexed{},
		lines: map[string]int{}, present: map[string]bool{}, used: map[*yaml.Node]bool{},
	}
	ix.walk(root, "")
	return ix
}

func (ix *nodeIndex) walk(n *yaml.Node, path string) {
	switch n.Kind {
	case yaml.DocumentNode:
		for _, c := range n.Content {
			ix.values[c.Line] = append(ix.values[c.Line], indexed{path, c})
			ix.walk(c, path)
		}
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			p := k.Value
			if path != "" {
				p = path + "." + k.Value
			}
			ix.keys[k.Line] = append(ix.keys[k.Line], indexed{p, k})
			ix.add(p, k.Line, v)
		}
	case yaml.SequenceNode:
		for i, c := range n.Content {
			ix.add(fmt.Sprintf("%s[%d]", path, i), c.Line, c)
		}
	}
}

func (ix *nodeIndex) add(path string, line int, v *yaml.Node) {
	if _, seen := ix.lines[path]; !seen {
		ix.lines[path] = line
	}
	if v.ShortTag() != "!!null" {
		ix.present[path] = true
	}
	ix.values[v.Line] = append(ix.values[v.Line], indexed{path, v})
	ix.walk(v, path)
}

// lineOf returns the line of key, or of its nearest ancestor in the file,
// or 0 if neither is there.
func (ix *nodeIndex) lineOf(key string) int {
	for key != "" {
		if l, ok := ix.lines[key]; ok {
			return l
		}
		key = parentPath(key)
	}
	return 0
}

var (
	lineMessage  = regexp.MustCompile(`^line (\d+): (.*)$`)
	fieldUnknown = regexp.MustCompile(`^field (.+) not found in type \S+$`)
	keyDuplicate = regexp.MustCompile(`^mapping key (".*") already defined at line (\d+)$`)
	cannotDecode = regexp.MustCompile("^cannot unmarshal (!![a-z]+)(?: `(.*)`)? into (.+)$")
	backticked   = regexp.MustCompile("`([^`]*)`")
)

// problemFor maps one yaml.v3 TypeError message to a Problem on the key it
// is about. Messages it cannot place keep their line under key "config".
func (ix *nodeIndex) problemFor(msg string) Problem {
	m := lineMessage.FindStringSubmatch(msg)
	if m == nil {
		return Problem{Key: "config", Message: msg}
	}
	line, _ := strconv.Atoi(m[1])
	rest := m[2]
	if f := fieldUnknown.FindStringSubmatch(rest); f != nil {
		if path, ok := ix.key(line, f[1]); ok {
			return Problem{Key: path, Message: fmt.Sprintf("unknown key (line %d)%s", line, unknownHint(path))}
		}
	}
	if d := keyDuplicate.FindStringSubmatch(rest); d != nil {
		name, _ := strconv.Unquote(d[1])
		if path, ok := ix.key(line, name); ok {
			return Problem{Key: path, Message: fmt.Sprintf("duplicate key (line %d; first set on line %s)", line, d[2])}
		}
	}
	if c := cannotDecode.FindStringSubmatch(rest); c != nil {
		if path, ok := ix.value(line, c[1], c[2]); ok {
			return Problem{Key: keyOrConfig(path), Message: fmt.Sprintf("line %d: expected %s, got %s",
				line, describeType(c[3]), describeGot(c[1], c[2]))}
		}
	}
	if b := backticked.FindStringSubmatch(rest); b != nil {
		if path, ok := ix.value(line, "", b[1]); ok {
			return Problem{Key: keyOrConfig(path), Message: fmt.Sprintf("line %d: %s", line, rest)}
		}
	}
	return Problem{Key: "config", Message: msg}
}

// key finds the first unclaimed mapping key called name on line.
func (ix *nodeIndex) key(line int, name string) (string, bool) {
	for _, e := range ix.keys[line] {
		if e.node.Value == name && !ix.used[e.node] {
			ix.used[e.node] = true
			return e.path, true
		}
	}
	return "", false
}

// value finds the first value on line with the given tag (if any) whose
// text matches val; yaml.v3 shortens long values to seven characters and
// "...".
func (ix *nodeIndex) value(line int, tag, val string) (string, bool) {
	for _, e := range ix.values[line] {
		n := e.node
		if tag != "" && n.ShortTag() != tag {
			continue
		}
		if n.Kind == yaml.ScalarNode && val != n.Value &&
			!(strings.HasSuffix(val, "...") && strings.HasPrefix(n.Value, strings.TrimSuffix(val, "..."))) {
			continue
		}
		if tag == "" && n.Kind != yaml.ScalarNode {
			continue
		}
		return e.path, true
	}
	return "", false
}

func keyOrConfig(path string) string {
	if path == "" {
		return "config"
	}
	return path
}

// parentPath drops the last segment: "pools[1].id" → "pools[1]" → "pools".
func parentPath(p string) string {
	i := strings.LastIndexAny(p, ".[")
	if i < 0 {
		return ""
	}
	return p[:i]
}
