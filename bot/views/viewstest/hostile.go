package viewstest

import "strings"

// hostileSeed is text built to break escaping and limits: mentions,
// entities, formatting and links that must neither ping nor break a view.
const hostileSeed = "<!channel> &<> *x* @here <https://evil.example|click> <@U999> `tick` "

// Hostile returns n runes of text built to break escaping and limits.
func Hostile(n int) string {
	s := strings.Repeat(hostileSeed, n/len(hostileSeed)+1)
	return string([]rune(s)[:n])
}
