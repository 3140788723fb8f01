package vc

import (
	"errors"
	"strings"
	"testing"
)

func TestTopicMatches(t *testing.T) {
	cases := []struct {
		filter, topic string
		want          bool
	}{
		{"a/b/c", "a/b/c", true},
		{"a/b/c", "a/b", false},
		{"a/b", "a/b/c", false},
		{"a/+/c", "a/b/c", true},
		{"a/+/c", "a//c", true}, // + matches an empty level
		{"a/+/c", "a/b/d", false},
		{"a/+", "a/b/c", false},
		{"+", "a", true},
		{"+", "a/b", false},
		{"+", "/a", false},
		{"+/+", "/a", true},
		{"/+", "/a", true},
		{"#", "a/b/c", true},
		{"#", "/", true},
		{"a/#", "a", true}, // the parent level (MQTT 5.0 §4.7.1.2)
		{"a/#", "a/", true},
		{"a/#", "a/b/c", true},
		{"a/#", "ab", false},
		{"a/#", "b/a", false},
		{"a/b/#", "a", false},
		{"+/#", "a", true},
		{"+/+/#", "a", false},
		{"sensors/+/temp", "sensors/dev1/temp", true},
		{"sensors/+/temp", "sensors/dev1/humidity", false},
		{"sensors/+/temp", "Sensors/dev1/temp", false}, // case sensitive
		{"a/b", "a/b/", false},
		{"a/b/", "a/b/", true},
		{"a//b", "a//b", true},
		{"#", "$SYS/broker", false},
		{"+/broker", "$SYS/broker", false},
		{"$SYS/#", "$SYS/broker", true},
		{"$SYS/+", "$SYS/broker", true},
		// malformed filters and names match nothing
		{"a/#/b", "a/x/b", false},
		{"a/b#", "a/b#", false},
		{"a+/b", "a+/b", false},
		{"", "", false},
		{"a/+", "a/+", false},
		{"#", "a/#", false},
		{"a", "a\x00", false},
		{"a/\xff", "a/\xff", false},
	}
	for _, c := range cases {
		if got := TopicMatches(c.filter, c.topic); got != c.want {
			t.Errorf("TopicMatches(%q, %q) = %v, want %v", c.filter, c.topic, got, c.want)
		}
	}
}

func TestValidateTopicFilter(t *testing.T) {
	good := []string{"a", "a/b", "+", "#", "+/+", "a/+/b/#", "/", "//", "$SYS/#", "a/ b"}
	for _, f := range good {
		if err := ValidateTopicFilter(f); err != nil {
			t.Errorf("ValidateTopicFilter(%q) = %v", f, err)
		}
	}
	bad := []string{"", "a/#/b", "#/a", "a#", "a/b+", "++", "##", "a\x00", "\xc3\x28", strings.Repeat("a", MaxTopicLength+1)}
	for _, f := range bad {
		if err := ValidateTopicFilter(f); !errors.Is(err, ErrTopicPattern) {
			t.Errorf("ValidateTopicFilter(%q) = %v, want ErrTopicPattern", f, err)
		}
	}
	if err := ValidateTopicName("a/+"); !errors.Is(err, ErrTopicPattern) {
		t.Errorf("ValidateTopicName with wildcard = %v", err)
	}
}

func FuzzTopicMatches(f *testing.F) {
	f.Add("a/+/c", "a/b/c")
	f.Add("#", "$SYS/x")
	f.Add("a/#", "a")
	f.Fuzz(func(t *testing.T, filter, topic string) {
		got := TopicMatches(filter, topic)
		// A concrete filter matches exactly itself.
		if ValidateTopicName(filter) == nil && ValidateTopicName(topic) == nil {
			if got != (filter == topic) {
				t.Fatalf("TopicMatches(%q, %q) = %v for wildcard-free filter", filter, topic, got)
			}
		}
		// "#" matches every valid non-$ topic.
		if ValidateTopicName(topic) == nil && !strings.HasPrefix(topic, "$") && !TopicMatches("#", topic) {
			t.Fatalf("# does not match %q", topic)
		}
	})
}
