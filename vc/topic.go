package vc

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// MaxTopicLength is the MQTT limit on a topic name or filter, in bytes.
const MaxTopicLength = 65535

// ValidateTopicFilter checks an MQTT topic filter (MQTT 5.0 §4.7): levels
// split by "/", "+" matching exactly one level and only as a whole level,
// "#" matching any number of remaining levels and only as the last level.
// Empty levels are legal ("a//b"). Filters starting with "$" name system
// topics and are accepted as written.
func ValidateTopicFilter(filter string) error {
	if err := validateTopicText(filter); err != nil {
		return err
	}
	levels := strings.Split(filter, "/")
	for i, lv := range levels {
		switch {
		case lv == "#":
			if i != len(levels)-1 {
				return fmt.Errorf("%w: %q: '#' must be the last level", ErrTopicPattern, filter)
			}
		case lv == "+":
		case strings.ContainsAny(lv, "+#"):
			return fmt.Errorf("%w: %q: wildcard inside level %q", ErrTopicPattern, filter, lv)
		}
	}
	return nil
}

// ValidateTopicName checks a concrete MQTT topic name: no wildcards.
func ValidateTopicName(topic string) error {
	if err := validateTopicText(topic); err != nil {
		return err
	}
	if strings.ContainsAny(topic, "+#") {
		return fmt.Errorf("%w: %q: topic name contains a wildcard", ErrTopicPattern, topic)
	}
	return nil
}

func validateTopicText(s string) error {
	switch {
	case s == "":
		return fmt.Errorf("%w: empty", ErrTopicPattern)
	case len(s) > MaxTopicLength:
		return fmt.Errorf("%w: %d bytes", ErrTopicPattern, len(s))
	case !utf8.ValidString(s):
		return fmt.Errorf("%w: %q: not UTF-8", ErrTopicPattern, s)
	case strings.ContainsRune(s, 0):
		return fmt.Errorf("%w: %q: contains NUL", ErrTopicPattern, s)
	}
	return nil
}

// TopicMatches reports whether topic name matches filter under MQTT rules.
// A filter beginning with a wildcard does not match a topic beginning with
// "$" (MQTT 5.0 §4.7.2), so a "#" grant never reaches "$SYS/...". Invalid
// filters or names match nothing.
func TopicMatches(filter, topic string) bool {
	if ValidateTopicFilter(filter) != nil || ValidateTopicName(topic) != nil {
		return false
	}
	if strings.HasPrefix(topic, "$") && (filter[0] == '+' || filter[0] == '#') {
		return false
	}
	for {
		fl, frest, fmore := strings.Cut(filter, "/")
		if fl == "#" {
			return true
		}
		tl, trest, tmore := strings.Cut(topic, "/")
		if fl != "+" && fl != tl {
			return false
		}
		switch {
		case !fmore && !tmore:
			return true
		case !tmore:
			// "a/#" matches "a": the parent level itself.
			return frest == "#"
		case !fmore:
			return false
		}
		filter, topic = frest, trest
	}
}
