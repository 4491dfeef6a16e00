// Package password hashes and checks the passwords of local accounts with
// argon2id (golang.org/x/crypto/argon2). Hashes are PHC strings that carry
// their own parameters, so the defaults can grow stronger while older
// hashes keep working.
package password

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"

	"github.com/lifeboat-itscm/lifeboat"
)

// Params are argon2id's cost parameters.
type Params struct {
	Time    uint32 // passes over the memory
	Memory  uint32 // KiB
	Threads uint8
}

// defaults are what Hash uses: 64 MiB, three passes, two lanes, close to
// RFC 9106's second recommendation and well above OWASP's minimums. One
// hash takes about a tenth of a second and 64 MiB while it runs, so the
// web layer should bound how many sign-ins hash at once.
var defaults = Params{Time: 3, Memory: 64 * 1024, Threads: 2}

const (
	saltLen = 16
	keyLen  = 32
	// Limits for hashes read back, so that a corrupt or hostile string can
	// neither panic argon2 nor make it allocate without bound.
	maxTime    = 64
	maxMemory  = 1 << 20 // 1 GiB
	maxThreads = 64
	minSalt    = 8
	maxSalt    = 64
	minKey     = 16
	maxKey     = 64
)

// Policy bounds, in characters.
const (
	MinLength = 12
	// MaxLength keeps the hashing work bounded while leaving room for
	// passphrases.
	MaxLength = 1024
)

var b64 = base64.RawStdEncoding

// Hash returns the argon2id hash of pw with the default parameters and a
// fresh random salt, as "$argon2id$v=19$m=65536,t=3,p=2$salt$key". It
// hashes any string; Check is the policy. The error is nil today and kept
// for hashing schemes that can fail.
func Hash(pw string) (string, error) {
	return hashWith(pw, defaults), nil
}

func hashWith(pw string, p Params) string {
	salt := make([]byte, saltLen)
	rand.Read(salt) // never fails: crypto/rand crashes the program instead
	key := argon2.IDKey([]byte(pw), salt, p.Time, p.Memory, p.Threads, keyLen)
	return encode(p, salt, key)
}

func encode(p Params, salt, key []byte) string {
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, p.Memory, p.Time, p.Threads, b64.EncodeToString(salt), b64.EncodeToString(key))
}

// Verify reports whether pw matches the encoded hash, comparing in constant
// time. The error is for a hash that cannot be read, never for a wrong
// password.
func Verify(pw, encoded string) (ok bool, err error) {
	p, salt, key, err := decode(encoded)
	if err != nil {
		return false, err
	}
	got := argon2.IDKey([]byte(pw), salt, p.Time, p.Memory, p.Threads, uint32(len(key)))
	return subtle.ConstantTimeCompare(got, key) == 1, nil
}

// dummySalt salts VerifyDummy's hash; it is never changed.
var dummySalt = []byte("lifeboat-dummy-s")

// VerifyDummy costs what Verify costs with the default parameters and
// always fails. Sign-in calls it for unknown users and users without a
// password, so that the time taken does not tell which names exist.
func VerifyDummy(pw string) bool {
	got := argon2.IDKey([]byte(pw), dummySalt, defaults.Time, defaults.Memory, defaults.Threads, keyLen)
	subtle.ConstantTimeCompare(got, make([]byte, keyLen))
	return false
}

// NeedsRehash reports whether encoded was made with other parameters than
// the defaults, so that sign-in can store a fresh hash.
func NeedsRehash(encoded string) bool {
	p, salt, key, err := decode(encoded)
	return err != nil || p != defaults || len(salt) != saltLen || len(key) != keyLen
}

// errMalformed never includes the hash itself: it must not reach a log.
func errMalformed(why string) error {
	return lifeboat.Errorf(lifeboat.EINTERNAL, "password hash: %s", why)
}

// decode parses a PHC argon2id string.
func decode(encoded string) (p Params, salt, key []byte, err error) {
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[0] != "" {
		return p, nil, nil, errMalformed("not a PHC string")
	}
	if parts[1] != "argon2id" {
		return p, nil, nil, errMalformed("not argon2id")
	}
	if parts[2] != "v="+strconv.Itoa(argon2.Version) {
		return p, nil, nil, errMalformed("unsupported argon2 version")
	}
	if p, err = decodeParams(parts[3]); err != nil {
		return p, nil, nil, err
	}
	if salt = decodeB64(parts[4]); len(salt) < minSalt || len(salt) > maxSalt {
		return p, nil, nil, errMalformed("bad salt")
	}
	if key = decodeB64(parts[5]); len(key) < minKey || len(key) > maxKey {
		return p, nil, nil, errMalformed("bad key")
	}
	return p, salt, key, nil
}

// decodeB64 decodes unpadded standard base64 in its one canonical
// spelling, nil otherwise. The decoder alone skips line breaks.
func decodeB64(s string) []byte {
	b, err := b64.Strict().DecodeString(s)
	if err != nil || b64.EncodeToString(b) != s {
		return nil
	}
	return b
}

// decodeParams reads "m=65536,t=3,p=2", in that order as the PHC format
// prescribes.
func decodeParams(s string) (Params, error) {
	var p Params
	fields := strings.Split(s, ",")
	if len(fields) != 3 {
		return p, errMalformed("want parameters m, t and p")
	}
	var v [3]uint64
	for i, name := range []string{"m=", "t=", "p="} {
		digits, ok := strings.CutPrefix(fields[i], name)
		n, err := strconv.ParseUint(digits, 10, 32)
		if !ok || err != nil || digits == "" || digits[0] == '+' || (len(digits) > 1 && digits[0] == '0') {
			return p, errMalformed("bad parameter " + strconv.Quote(name[:1]))
		}
		v[i] = n
	}
	m, t, threads := v[0], v[1], v[2]
	if t < 1 || t > maxTime || threads < 1 || threads > maxThreads || m < 8*threads || m > maxMemory {
		return p, errMalformed("parameters out of range")
	}
	return Params{Time: uint32(t), Memory: uint32(m), Threads: uint8(threads)}, nil
}

// Check applies the password policy: 12 to 1024 characters of valid UTF-8,
// not all the same character. Length matters more than character classes
// (NIST SP 800-63B), so there is no rule about digits or symbols.
func Check(pw string) error {
	var p lifeboat.Problems
	n := utf8.RuneCountInString(pw)
	switch {
	case !utf8.ValidString(pw) || strings.ContainsRune(pw, 0):
		p.Add("password", "must be valid UTF-8 text without NUL characters")
	case n < MinLength:
		p.Add("password", "must be at least %d characters long", MinLength)
	case n > MaxLength:
		p.Add("password", "must be at most %d characters long", MaxLength)
	case allSame(pw):
		p.Add("password", "must not repeat one character only")
	}
	return p.Err("the password")
}

func allSame(s string) bool {
	first, _ := utf8.DecodeRuneInString(s)
	return strings.Trim(s, string(first)) == ""
}

// Generate returns a random password of 26 letters and digits (130 bits),
// for accounts an administrator creates or resets.
func Generate() string {
	return rand.Text()
}
