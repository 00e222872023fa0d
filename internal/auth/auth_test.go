package auth

import (
	"bytes"
	"strings"
	"testing"
)

func TestPasswordRoundTrip(t *testing.T) {
	hash, err := HashPassword("correct horse")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(hash, "$argon2id$v=19$") {
		t.Fatalf("hash %q is not an argon2id PHC string", hash)
	}
	for _, tc := range []struct {
		password string
		want     bool
	}{{"correct horse", true}, {"correct horse ", false}, {"", false}} {
		got, err := VerifyPassword(hash, tc.password)
		if err != nil || got != tc.want {
			t.Errorf("VerifyPassword(%q) = %v, %v; want %v", tc.password, got, err, tc.want)
		}
	}
	other, _ := HashPassword("correct horse")
	if other == hash {
		t.Error("two hashes of one password are equal: salt not random")
	}
}

func TestVerifyRejectsMalformed(t *testing.T) {
	for _, h := range []string{"", "plain", "$argon2i$v=19$m=1,t=1,p=1$AA$AA", "$argon2id$v=19$m=x$AA$AA", "$argon2id$v=19$m=1,t=1,p=1$!!$AA"} {
		if ok, err := VerifyPassword(h, "x"); ok || err == nil {
			t.Errorf("VerifyPassword(%q) = %v, %v; want false and an error", h, ok, err)
		}
	}
}

func TestNewSecret(t *testing.T) {
	s1, h1, err := NewSecret("lia_")
	if err != nil {
		t.Fatal(err)
	}
	s2, _, _ := NewSecret("lia_")
	if s1 == s2 || !strings.HasPrefix(s1, "lia_") || len(s1) < 40 {
		t.Fatalf("secrets %q, %q: want distinct, prefixed, long", s1, s2)
	}
	if !bytes.Equal(HashSecret(s1), h1) {
		t.Error("HashSecret disagrees with NewSecret")
	}
}
