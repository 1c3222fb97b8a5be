package config

import (
	"net/url"
	"regexp"
	"strings"
	"time"
)

// Tickets says how ticket ids look in free-text reasons and where they link to,
// so "what did we do for INC-4211?" has an answer (audit --ticket) and a
// reason's ticket id becomes a link wherever the reason is shown.
type Tickets struct {
	// Pattern is a regular expression matching one ticket id, e.g. [A-Z]+-\d+.
	// Empty means reasons are not searched for ticket ids.
	Pattern string `yaml:"pattern,omitempty"`
	// URL is an https link template with {id} where the ticket id goes, e.g.
	// https://jira.example.com/browse/{id}. Empty means ids are not linked.
	URL string `yaml:"url,omitempty"`
}

// ticketURLPlaceholder is what Tickets.URL replaces with the id.
const ticketURLPlaceholder = "{id}"

// Regexp is the compiled Pattern, or nil when there is none (or it does not
// compile, which Validate reports).
func (t Tickets) Regexp() *regexp.Regexp {
	if t.Pattern == "" {
		return nil
	}
	re, err := regexp.Compile(t.Pattern)
	if err != nil {
		return nil
	}
	return re
}

// Link is the ticket's URL, or "" when no template is set.
func (t Tickets) Link(id string) string {
	if t.URL == "" {
		return ""
	}
	return strings.ReplaceAll(t.URL, ticketURLPlaceholder, url.PathEscape(id))
}

// maxTicketPattern bounds the pattern; Go's regexp runs in linear time, so a
// long pattern costs memory, never a runaway match.
const maxTicketPattern = 200

func (c *Config) validateTickets(p *Problems) {
	t := c.Tickets
	if t.Pattern != "" {
		re, err := regexp.Compile(t.Pattern)
		switch {
		case len(t.Pattern) > maxTicketPattern:
			p.add("tickets.pattern", "is longer than %d characters", maxTicketPattern)
		case err != nil:
			p.add("tickets.pattern", "%q is not a regular expression: %v", t.Pattern, err)
		case re.MatchString(""):
			p.add("tickets.pattern", "%q matches empty text; a ticket id needs at least one character, e.g. [A-Z]+-\\d+", t.Pattern)
		}
	}
	if t.URL != "" {
		u, err := url.Parse(strings.ReplaceAll(t.URL, ticketURLPlaceholder, "X"))
		switch {
		case err != nil || u.Host == "":
			p.add("tickets.url", "%q is not a URL", t.URL)
		case u.Scheme != "https":
			p.add("tickets.url", "must be an https:// link")
		case u.User != nil:
			p.add("tickets.url", "must not carry a user name or password")
		case !strings.Contains(t.URL, ticketURLPlaceholder):
			p.add("tickets.url", "must contain {id} where the ticket id goes, e.g. https://jira.example.com/browse/{id}")
		case !idAfterHost(t.URL, u.Host):
			p.add("tickets.url", "must put {id} in the path or query, after https://%s/: an id in the host name could make a reason link to any site", u.Host)
		}
		if t.Pattern == "" {
			p.add("tickets.url", "needs tickets.pattern, which finds the ids to link")
		}
	}
}

// idAfterHost reports whether every {id} in template comes after its fixed
// https://host/ (or https://host?) prefix, so no ticket id, whatever the
// pattern lets through, can change which site a link goes to.
func idAfterHost(template, host string) bool {
	prefix := template[:strings.Index(template, ticketURLPlaceholder)]
	return strings.HasPrefix(prefix, "https://"+host+"/") || strings.HasPrefix(prefix, "https://"+host+"?")
}

// minAnchorEvery keeps anchors from flooding their channel.
const minAnchorEvery = 5 * time.Minute

func (c *Config) validateAnchors(p *Problems) {
	if d := c.Audit.AnchorEvery.Std(); d != 0 && d < minAnchorEvery {
		p.add("audit.anchor_every", "must be at least 5m")
	}
	if ch := c.Audit.AnchorChannel; ch != "" && !approvalsPattern.MatchString(ch) {
		p.add("audit.anchor_channel", "%q is not a Slack channel id (C… or G…)", ch)
	}
}
