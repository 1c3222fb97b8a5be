package memdir

import (
	"context"
	"fmt"
	"maps"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/cognito-bot/cognito-bot/cognito"
)

// UpdateAttributes is awsdir.Directory.UpdateAttributes. A changed email or phone
// becomes unverified unless its *_verified flag is sent along, as in a pool
// without pending verification.
func (m *Memory) UpdateAttributes(ctx context.Context, poolID, username string, attrs map[string]string) ([]string, cognito.Result, error) {
	fail := func(err error) ([]string, cognito.Result, error) {
		return nil, cognito.Result{}, fmt.Errorf("updating attributes of user %q: %w", username, err)
	}
	if username == "" || len(attrs) == 0 {
		return fail(fmt.Errorf("%w: empty username or no attributes given", cognito.ErrInvalidParameter))
	}
	var names []string
	res, err := m.withUser(ctx, poolID, username, "updating attributes of user %q", func(p *memPool, u *memUser) error {
		for name := range attrs {
			if _, err := cognito.CheckWritable(p.desc, name); err != nil {
				return err
			}
		}
		var changed map[string]string
		changed, names = cognito.ChangedAttributes(u.attrs, attrs)
		if len(names) == 0 {
			return nil
		}
		next := maps.Clone(u.attrs)
		for name, v := range changed {
			if err := p.checkAttribute(name, v); err != nil {
				return err
			}
			next[name] = v
			if v == "" {
				delete(next, name)
			}
		}
		unverify(next, changed)
		for _, name := range p.required() {
			if next[name] == "" {
				return fmt.Errorf("%w: attribute %q is required by the pool", cognito.ErrInvalidParameter, name)
			}
		}
		if err := p.checkAliases(u, next); err != nil {
			return err
		}
		u.attrs = next
		u.modified = m.now()
		return nil
	})
	if err != nil {
		return nil, cognito.Result{}, err
	}
	if len(names) == 0 {
		return names, cognito.Result{}, nil
	}
	return names, res, nil
}

// unverify drops the verification of a contact that changed (or went) without
// its flag being set in the same write.
func unverify(attrs, changed map[string]string) {
	for contact, flag := range map[string]string{"email": "email_verified", "phone_number": "phone_number_verified"} {
		if _, ok := changed[contact]; !ok {
			continue
		}
		if _, ok := changed[flag]; ok {
			continue
		}
		if attrs[contact] == "" {
			delete(attrs, flag)
		} else {
			attrs[flag] = "false"
		}
	}
}

// DeleteAttributes is awsdir.Directory.DeleteAttributes: schema-checked, required
// attributes refused.
func (m *Memory) DeleteAttributes(ctx context.Context, poolID, username string, names []string) (cognito.Result, error) {
	if username != "" && len(names) == 0 {
		return cognito.Result{}, fmt.Errorf("deleting attributes of user %q: %w: no attributes given", username, cognito.ErrInvalidParameter)
	}
	return m.withUser(ctx, poolID, username, "deleting attributes of user %q", func(p *memPool, u *memUser) error {
		removed := map[string]string{}
		for _, name := range names {
			a, err := cognito.CheckWritable(p.desc, name)
			if err != nil {
				return err
			}
			if a != nil && aws.ToBool(a.Required) {
				return fmt.Errorf("%w: attribute %q is required by the pool", cognito.ErrInvalidParameter, name)
			}
			removed[name] = ""
		}
		next := maps.Clone(u.attrs)
		for name := range removed {
			delete(next, name)
		}
		unverify(next, removed)
		u.attrs = next
		u.modified = m.now()
		return nil
	})
}
