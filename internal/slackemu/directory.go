package slackemu

import (
	"slices"
	"strings"

	"github.com/slack-go/slack"

	"github.com/cognito-bot/cognito-bot/internal/slackemu/webapi"
)

// AddUser registers a workspace member for users.info and for the user
// fields of injected payloads.
func (s *Server) AddUser(id, name, realName string) {
	s.SetUser(slack.User{
		ID: id, Name: name, RealName: realName,
		Profile: slack.UserProfile{
			RealName: realName, RealNameNormalized: realName,
			DisplayName: name, DisplayNameNormalized: name,
		},
	})
}

// SetUser registers or replaces a member with full control over its fields
// (e.g. Deleted, IsBot, Profile.Email). TeamID defaults to the workspace's.
func (s *Server) SetUser(u slack.User) {
	if u.TeamID == "" {
		u.TeamID = s.opts.TeamID
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.users[u.ID] = u
}

// SetUserGroup registers a user group (subteam) and its members for
// usergroups.users.list.
func (s *Server) SetUserGroup(id string, members []string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.groups[id] = slices.Clone(members)
}

// SetChannelName names a channel in payloads ("channel":{"name":…}).
func (s *Server) SetChannelName(id, name string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.channels[id] = name
}

// DMChannel returns the ID of the bot's direct-message channel with userID,
// the one conversations.open returns and chat.postMessage to a user ID uses.
func (s *Server) DMChannel(userID string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	id, _ := s.dmLocked(userID)
	return id
}

// dmLocked returns the DM (or group DM) channel for a comma-joined user list
// and whether it already existed.
func (s *Server) dmLocked(users string) (string, bool) {
	ids := strings.Split(users, ",")
	slices.Sort(ids)
	key := strings.Join(ids, ",")
	if id, ok := s.dms[key]; ok {
		return id, true
	}
	prefix := "D"
	if len(ids) > 1 {
		prefix = "G"
	}
	id := s.newSlackIDLocked(prefix)
	s.dms[key] = id
	return id, false
}

func (s *Server) userNameLocked(id string) string {
	if u, ok := s.users[id]; ok && u.Name != "" {
		return u.Name
	}
	return strings.ToLower(id)
}

func (s *Server) channelNameLocked(id string) string {
	if n, ok := s.channels[id]; ok {
		return n
	}
	if strings.HasPrefix(id, "D") {
		return "directmessage"
	}
	if strings.HasPrefix(id, "G") {
		return "mpdm-" + strings.ToLower(id)
	}
	return strings.ToLower(id)
}

// resolveChannelLocked maps a user ID given as channel (chat.postMessage to
// "U…") to the bot's DM with that user, as Slack does.
func (s *Server) resolveChannelLocked(ch string) string {
	if strings.HasPrefix(ch, "U") || strings.HasPrefix(ch, "W") {
		id, _ := s.dmLocked(ch)
		return id
	}
	return ch
}

func looksLikeUserID(id string) bool {
	return len(id) > 1 && (id[0] == 'U' || id[0] == 'W')
}

func (s *Server) authTest(*webapi.Request) webapi.Result {
	return webapi.OK(map[string]any{
		"url":  "https://" + s.opts.TeamDomain + ".slack.com/",
		"team": s.opts.TeamDomain, "user": "cognito-bot",
		"team_id": s.opts.TeamID, "user_id": s.opts.BotUserID, "bot_id": s.opts.BotID,
		"is_enterprise_install": false,
	})
}

func (s *Server) usersInfo(r *webapi.Request) webapi.Result {
	s.mu.Lock()
	defer s.mu.Unlock()
	u, ok := s.users[r.Str("user")]
	if !ok {
		return webapi.Fail("user_not_found")
	}
	return webapi.OK(map[string]any{"user": u})
}

func (s *Server) usergroupsUsersList(r *webapi.Request) webapi.Result {
	s.mu.Lock()
	defer s.mu.Unlock()
	members, ok := s.groups[r.Str("usergroup")]
	if !ok {
		return webapi.Fail("no_such_subteam")
	}
	if members == nil {
		members = []string{}
	}
	return webapi.OK(map[string]any{"users": members})
}

// conversationsOpen opens (or finds) a DM or group DM. User IDs must look like
// Slack user IDs ("U…"/"W…"); they need not be registered with AddUser.
func (s *Server) conversationsOpen(r *webapi.Request) webapi.Result {
	users, channel := r.Str("users"), r.Str("channel")
	if users == "" {
		if channel == "" {
			return webapi.Fail("users_list_not_supplied")
		}
		return webapi.OK(map[string]any{"channel": map[string]any{"id": channel}, "no_op": true, "already_open": true})
	}
	for _, u := range strings.Split(users, ",") {
		if !looksLikeUserID(u) {
			return webapi.Fail("user_not_found")
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	id, existed := s.dmLocked(users)
	return webapi.OK(map[string]any{
		"channel": map[string]any{"id": id, "is_im": !strings.Contains(users, ",")},
		"no_op":   existed, "already_open": existed,
	})
}
