package bot

import (
	"slices"
	"strconv"
	"strings"

	"github.com/cognito-bot/cognito-bot/bot/desk"
	"github.com/cognito-bot/cognito-bot/bot/views"
	"github.com/cognito-bot/cognito-bot/internal/config"
)

// maxArgLen bounds any single argument; longer input is refused with usage, never
// passed on to Cognito or into a Slack message.
const maxArgLen = 256

// maxReasonLen bounds a reason given inline or in the modal.
const maxReasonLen = 500

// flags is a parsed argument list: positionals, --name value pairs and --switches.
type flags struct {
	pos    []string
	values map[string]string
	bools  map[string]bool
	// lists holds every value of a repeatable flag, in order.
	lists map[string][]string
}

// parseFlags splits args into positionals and the flags a command declares. It
// accepts "--name value" and "--name=value"; an unknown flag is a usage error.
// The value flags named in repeatable may be given more than once: each value
// is kept, in order, in lists.
func parseFlags(args []string, valueFlags, boolFlags []string, repeatable ...string) (flags, error) {
	f := flags{values: map[string]string{}, bools: map[string]bool{}, lists: map[string][]string{}}
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
				return f, desk.Usagef("That argument is too long (%d characters; at most %d).", len([]rune(a)), maxArgLen)
			}
			f.pos = append(f.pos, a)
			continue
		}
		name, val, hasVal := strings.Cut(strings.TrimPrefix(a, "--"), "=")
		name = strings.ToLower(name)
		switch {
		case isBool[name]:
			if hasVal {
				return f, desk.Usagef("`--%s` takes no value.", views.Truncate(name, 30))
			}
			f.bools[name] = true
		case isValue[name]:
			if !hasVal {
				if i+1 >= len(args) {
					return f, desk.Usagef("`--%s` needs a value.", name)
				}
				i++
				val = args[i]
			}
			limit := maxArgLen
			if name == "reason" {
				// Spaces alone are no reason, as in the reason modal.
				limit, val = maxReasonLen, strings.TrimSpace(val)
			}
			if len([]rune(val)) > limit {
				return f, desk.Usagef("The value of `--%s` is too long (at most %d characters).", name, limit)
			}
			if _, seen := f.values[name]; seen && !slices.Contains(repeatable, name) {
				return f, desk.Usagef("`--%s` is given twice.", name)
			}
			f.values[name] = val
			if slices.Contains(repeatable, name) {
				f.lists[name] = append(f.lists[name], val)
			}
		default:
			return f, desk.Usagef("Unknown option `--%s`.", views.Truncate(name, 30))
		}
	}
	return f, nil
}

// pool resolves --pool against the configuration; no flag means the default pool.
func (b *Bot) pool(f flags) (config.Pool, error) {
	name, ok := f.values["pool"]
	if !ok {
		return b.Cfg.DefaultPool(), nil
	}
	p, found := b.Cfg.PoolByName(name)
	if !found {
		names := make([]string, 0, len(b.Cfg.Pools))
		for _, p := range b.Cfg.Pools {
			names = append(names, p.Name)
		}
		return config.Pool{}, desk.Usagef("Unknown pool `%s`. Configured pools: %s.", views.Truncate(name, 40), strings.Join(names, ", "))
	}
	return p, nil
}

// intFlag reads a positive integer flag with a default and an upper bound.
func intFlag(f flags, name string, def, max int) (int, error) {
	s, ok := f.values[name]
	if !ok {
		return def, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 || n > max {
		return 0, desk.Usagef("`--%s` must be a number from 1 to %d.", name, max)
	}
	return n, nil
}

// onePositional demands exactly one positional argument, named what for the message.
func onePositional(f flags, what string) (string, error) {
	switch len(f.pos) {
	case 0:
		return "", desk.Usagef("Missing %s.", what)
	case 1:
		if strings.TrimSpace(f.pos[0]) == "" {
			return "", desk.Usagef("Missing %s.", what)
		}
		return f.pos[0], nil
	default:
		return "", desk.Usagef("Expected one %s, got %d arguments. Quote values that contain spaces.", what, len(f.pos))
	}
}

// userArgs is a parsed "<user> [--pool NAME] [flags…]" command line.
type userArgs struct {
	flags
	query string
	rest  []string // positionals after the user, for actions that take Args
	pool  config.Pool
}

// parseUserArgs parses the commands that act on one user: exactly one user query,
// --pool, and the extra flags the command declares.
func (b *Bot) parseUserArgs(args, valueFlags, boolFlags []string) (userArgs, error) {
	return b.parseUserArgsWith(args, false, valueFlags, boolFlags)
}

// parseUserArgsWith is parseUserArgs that, when more is true, keeps the
// positionals after the user for the action's own Args.
func (b *Bot) parseUserArgsWith(args []string, more bool, valueFlags, boolFlags []string) (userArgs, error) {
	f, err := parseFlags(args, append([]string{"pool"}, valueFlags...), boolFlags)
	if err != nil {
		return userArgs{}, err
	}
	var rest []string
	if more && len(f.pos) > 1 {
		f.pos, rest = f.pos[:1], f.pos[1:]
	}
	q, err := onePositional(f, "username, email, phone or sub")
	if err != nil {
		return userArgs{}, err
	}
	pool, err := b.pool(f)
	if err != nil {
		return userArgs{}, err
	}
	return userArgs{flags: f, query: q, rest: rest, pool: pool}, nil
}
