package desk

import (
	"slices"
	"strconv"
	"strings"

	"github.com/cognito-bot/cognito-bot/bot/views"
	"github.com/cognito-bot/cognito-bot/internal/config"
)

// maxArgLen bounds any single argument; longer input is refused with usage, never
// passed on to Cognito or into a Slack message.
const maxArgLen = 256

// MaxReasonLen bounds a reason given inline or in the modal.
const MaxReasonLen = 500

// Flags is a parsed argument list: positionals, --name value pairs and --switches.
type Flags struct {
	Pos    []string
	Values map[string]string
	Bools  map[string]bool
	// lists holds every value of a repeatable flag, in order.
	Lists map[string][]string
}

// ParseFlags splits args into positionals and the flags a command declares. It
// accepts "--name value" and "--name=value"; an unknown flag is a usage error.
// The value flags named in repeatable may be given more than once: each value
// is kept, in order, in lists.
func ParseFlags(args []string, valueFlags, boolFlags []string, repeatable ...string) (Flags, error) {
	f := Flags{Values: map[string]string{}, Bools: map[string]bool{}, Lists: map[string][]string{}}
	isValue := map[string]bool{}
	for _, n := range valueFlags {
		isValue[n] = true
	}
	isBool := map[string]bool{}
	for _, n := range boolFlags {
		isBool[n] = true
	}
	for i := 0; i < len(args); i++ {
		a := args[i]
		if !strings.HasPrefix(a, "--") || a == "--" {
			if len([]rune(a)) > maxArgLen {
				return f, Usagef("That argument is too long (%d characters; at most %d).", len([]rune(a)), maxArgLen)
			}
			f.Pos = append(f.Pos, a)
			continue
		}
		name, val, hasVal := strings.Cut(strings.TrimPrefix(a, "--"), "=")
		name = strings.ToLower(name)
		switch {
		case isBool[name]:
			if hasVal {
				return f, Usagef("`--%s` takes no value.", views.Truncate(name, 30))
			}
			f.Bools[name] = true
		case isValue[name]:
			if !hasVal {
				if i+1 >= len(args) {
					return f, Usagef("`--%s` needs a value.", name)
				}
				i++
				val = args[i]
			}
			limit := maxArgLen
			if name == "reason" {
				// Spaces alone are no reason, as in the reason modal.
				limit, val = MaxReasonLen, strings.TrimSpace(val)
			}
			if len([]rune(val)) > limit {
				return f, Usagef("The value of `--%s` is too long (at most %d characters).", name, limit)
			}
			if _, seen := f.Values[name]; seen && !slices.Contains(repeatable, name) {
				return f, Usagef("`--%s` is given twice.", name)
			}
			f.Values[name] = val
			if slices.Contains(repeatable, name) {
				f.Lists[name] = append(f.Lists[name], val)
			}
		default:
			return f, Usagef("Unknown option `--%s`.", views.Truncate(name, 30))
		}
	}
	return f, nil
}

// Pool resolves --pool against the configuration; no flag means the default pool.
func (b *Desk) Pool(f Flags) (config.Pool, error) {
	name, ok := f.Values["pool"]
	if !ok {
		return b.Cfg.DefaultPool(), nil
	}
	p, found := b.Cfg.PoolByName(name)
	if !found {
		names := make([]string, 0, len(b.Cfg.Pools))
		for _, p := range b.Cfg.Pools {
			names = append(names, p.Name)
		}
		return config.Pool{}, Usagef("Unknown pool `%s`. Configured pools: %s.", views.Truncate(name, 40), strings.Join(names, ", "))
	}
	return p, nil
}

// IntFlag reads a positive integer flag with a default and an upper bound.
func IntFlag(f Flags, name string, def, max int) (int, error) {
	s, ok := f.Values[name]
	if !ok {
		return def, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 || n > max {
		return 0, Usagef("`--%s` must be a number from 1 to %d.", name, max)
	}
	return n, nil
}

// OnePositional demands exactly one positional argument, named what for the message.
func OnePositional(f Flags, what string) (string, error) {
	switch len(f.Pos) {
	case 0:
		return "", Usagef("Missing %s.", what)
	case 1:
		if strings.TrimSpace(f.Pos[0]) == "" {
			return "", Usagef("Missing %s.", what)
		}
		return f.Pos[0], nil
	default:
		return "", Usagef("Expected one %s, got %d arguments. Quote values that contain spaces.", what, len(f.Pos))
	}
}

// UserArgs is a parsed "<user> [--pool NAME] [flags…]" command line.
type UserArgs struct {
	Flags
	Query string
	Rest  []string // positionals after the user, for actions that take Args
	Pool  config.Pool
}

// ParseUserArgs parses the commands that act on one user: exactly one user query,
// --pool, and the extra flags the command declares.
func (b *Desk) ParseUserArgs(args, valueFlags, boolFlags []string) (UserArgs, error) {
	return b.ParseUserArgsWith(args, false, valueFlags, boolFlags)
}

// ParseUserArgsWith is parseUserArgs that, when more is true, keeps the
// positionals after the user for the action's own Args.
func (b *Desk) ParseUserArgsWith(args []string, more bool, valueFlags, boolFlags []string) (UserArgs, error) {
	f, err := ParseFlags(args, append([]string{"pool"}, valueFlags...), boolFlags)
	if err != nil {
		return UserArgs{}, err
	}
	var rest []string
	if more && len(f.Pos) > 1 {
		f.Pos, rest = f.Pos[:1], f.Pos[1:]
	}
	q, err := OnePositional(f, "username, email, phone or sub")
	if err != nil {
		return UserArgs{}, err
	}
	pool, err := b.Pool(f)
	if err != nil {
		return UserArgs{}, err
	}
	return UserArgs{Flags: f, Query: q, Rest: rest, Pool: pool}, nil
}
