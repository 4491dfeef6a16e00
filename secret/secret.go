// Package secret makes the random secrets that stand for a signed-in
// browser, an API token or the first-admin setup link, and the hashes under
// which the database keeps them. The secrets carry 256 random bits, so a
// fast hash such as SHA-256 is enough: there is nothing to guess.
package secret

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"strings"
)

// Prefixes make a secret recognisable, to people and to secret scanners.
const (
	TokenPrefix   = "lbt_" // API tokens
	SessionPrefix = "lbs_" // session cookies
	SetupPrefix   = "lbx_" // the one-time link that creates the first admin
)

// randomLen is the number of random bytes in a secret.
const randomLen = 32

var b64 = base64.RawURLEncoding

// encodedLen is the length of a secret after its prefix: randomLen bytes
// in base64 without padding.
const encodedLen = (randomLen*8 + 5) / 6

// NewToken returns a new secret with the prefix, such as "lbt_" followed by
// 43 URL-safe characters, and its hash, the only form to store.
func NewToken(prefix string) (token, hash string) {
	b := make([]byte, randomLen)
	rand.Read(b) // never fails: crypto/rand crashes the program instead
	token = prefix + b64.EncodeToString(b)
	return token, Hash(token)
}

// Hash returns the hex SHA-256 of a secret, prefix included.
func Hash(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// Valid reports whether s looks like a secret NewToken made with the
// prefix, so that garbage is refused before any database lookup.
func Valid(s, prefix string) bool {
	rest, ok := strings.CutPrefix(s, prefix)
	if !ok || len(rest) != encodedLen {
		return false
	}
	b, err := b64.Strict().DecodeString(rest)
	return err == nil && len(b) == randomLen
}
