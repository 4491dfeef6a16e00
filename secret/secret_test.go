package secret_test

import (
	"strings"
	"testing"

	"github.com/lifeboat-itscm/lifeboat/secret"
)

func TestNewToken(t *testing.T) {
	seen := map[string]bool{}
	for range 100 {
		tok, hash := secret.NewToken(secret.TokenPrefix)
		if !strings.HasPrefix(tok, "lbt_") || len(tok) != 4+43 {
			t.Fatalf("token %q: want lbt_ and 43 characters", tok)
		}
		if strings.ContainsAny(tok[4:], "+/=") {
			t.Fatalf("token %q is not URL-safe", tok)
		}
		if hash != secret.Hash(tok) || len(hash) != 64 || hash == tok {
			t.Fatalf("hash %q of %q", hash, tok)
		}
		if !secret.Valid(tok, secret.TokenPrefix) {
			t.Fatalf("Valid(%q) = false", tok)
		}
		if seen[tok] {
			t.Fatalf("token %q made twice", tok)
		}
		seen[tok] = true
	}
}

func TestHashVector(t *testing.T) {
	// SHA-256 of "abc", FIPS 180-2.
	if got, want := secret.Hash("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"; got != want {
		t.Errorf("Hash(abc) = %s, want %s", got, want)
	}
}

func TestValid(t *testing.T) {
	tok, _ := secret.NewToken(secret.SessionPrefix)
	for _, s := range []string{
		"", "lbs_", tok[:len(tok)-1], tok + "A", "lbt_" + tok[4:], tok[:10] + "+" + tok[11:], tok[:10] + "=" + tok[11:],
		// The last character of 32 bytes in base64 carries four bits
		// only; a different trailing pair of bits is not canonical.
		tok[:len(tok)-1] + nonCanonical(tok[len(tok)-1]),
	} {
		if secret.Valid(s, secret.SessionPrefix) {
			t.Errorf("Valid(%q) = true", s)
		}
	}
}

// nonCanonical returns a base64url character that differs from c only in
// its two low bits, which a 43-character encoding of 32 bytes leaves zero.
func nonCanonical(c byte) string {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
	i := strings.IndexByte(alphabet, c)
	return string(alphabet[i|1])
}
