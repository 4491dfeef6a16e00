package password

import (
	"strings"
	"testing"

	"github.com/lifeboat-itscm/lifeboat"
)

// reference is the argon2id hash of "password" with the salt "somesalt",
// m=65536, t=2, p=1 from the reference implementation's test suite
// (phc-winner-argon2, src/test.c).
const reference = "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc"

func TestVerifyReferenceVector(t *testing.T) {
	for pw, want := range map[string]bool{"password": true, "Password": false, "password ": false, "": false} {
		ok, err := Verify(pw, reference)
		if err != nil || ok != want {
			t.Errorf("Verify(%q, reference) = %v, %v; want %v", pw, ok, err, want)
		}
	}
	// The encoding matches the reference implementation's byte for byte.
	_, salt, key, err := decode(reference)
	if err != nil {
		t.Fatal(err)
	}
	if got := encode(Params{Time: 2, Memory: 65536, Threads: 1}, salt, key); got != reference {
		t.Errorf("encode = %s, want %s", got, reference)
	}
}

func TestHashAndVerify(t *testing.T) {
	const pw = "correct horse battery staple"
	h1, err := Hash(pw)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h1, "$argon2id$v=19$m=65536,t=3,p=2$") {
		t.Errorf("hash %q: want the default parameters in PHC form", h1)
	}
	if strings.Contains(h1, pw) {
		t.Error("the hash contains the password")
	}
	h2, _ := Hash(pw)
	if h1 == h2 {
		t.Error("two hashes of one password are equal: the salt is not random")
	}
	for _, h := range []string{h1, h2} {
		if ok, err := Verify(pw, h); !ok || err != nil {
			t.Errorf("Verify(right password) = %v, %v", ok, err)
		}
		if ok, err := Verify("correct horse battery stapl", h); ok || err != nil {
			t.Errorf("Verify(wrong password) = %v, %v", ok, err)
		}
	}
	if NeedsRehash(h1) {
		t.Error("NeedsRehash of a fresh hash = true")
	}
}

// TestVerifyReadsParameters checks that a hash made with other parameters
// still verifies, so that the defaults can change.
func TestVerifyReadsParameters(t *testing.T) {
	h := hashWith("an older hash", Params{Time: 1, Memory: 64, Threads: 1})
	if !strings.Contains(h, "$m=64,t=1,p=1$") {
		t.Fatalf("hash %q does not carry its parameters", h)
	}
	if ok, err := Verify("an older hash", h); !ok || err != nil {
		t.Errorf("Verify = %v, %v", ok, err)
	}
	if ok, _ := Verify("another one", h); ok {
		t.Error("Verify(wrong password) = true")
	}
	if !NeedsRehash(h) {
		t.Error("NeedsRehash of a hash with other parameters = false")
	}
}

func TestVerifyMalformed(t *testing.T) {
	salt, key := "c29tZXNhbHQ", "CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc"
	for _, h := range []string{
		"",
		"password",
		"$argon2id$v=19$m=65536,t=2,p=1$" + salt, // no key
		"$argon2i$v=19$m=65536,t=2,p=1$" + salt + "$" + key,           // argon2i
		"$argon2d$v=19$m=65536,t=2,p=1$" + salt + "$" + key,           // argon2d
		"$argon2id$v=16$m=65536,t=2,p=1$" + salt + "$" + key,          // old version
		"$argon2id$m=65536,t=2,p=1$" + salt + "$" + key,               // version missing
		"argon2id$v=19$m=65536,t=2,p=1$" + salt + "$" + key + "$",     // no leading $
		"$argon2id$v=19$t=2,m=65536,p=1$" + salt + "$" + key,          // order
		"$argon2id$v=19$m=65536,t=2$" + salt + "$" + key,              // p missing
		"$argon2id$v=19$m=65536,t=2,p=1,k=3$" + salt + "$" + key,      // extra
		"$argon2id$v=19$m=65536,t=0,p=1$" + salt + "$" + key,          // no passes
		"$argon2id$v=19$m=65536,t=2,p=0$" + salt + "$" + key,          // no lanes
		"$argon2id$v=19$m=65536,t=2,p=256$" + salt + "$" + key,        // too many lanes
		"$argon2id$v=19$m=4,t=2,p=1$" + salt + "$" + key,              // m < 8p
		"$argon2id$v=19$m=4294967295,t=2,p=1$" + salt + "$" + key,     // 4 TiB
		"$argon2id$v=19$m=65536,t=4294967295,p=1$" + salt + "$" + key, // forever
		"$argon2id$v=19$m=65536,t=-2,p=1$" + salt + "$" + key,
		"$argon2id$v=19$m=65536,t=+2,p=1$" + salt + "$" + key,
		"$argon2id$v=19$m=065536,t=2,p=1$" + salt + "$" + key,
		"$argon2id$v=19$m=,t=2,p=1$" + salt + "$" + key,
		"$argon2id$v=19$m=65536,t=2,p=1$c29tZQ$" + key,                             // 4-byte salt
		"$argon2id$v=19$m=65536,t=2,p=1$" + salt + "$AAAA",                         // 3-byte key
		"$argon2id$v=19$m=65536,t=2,p=1$" + salt + "=$" + key,                      // padding
		"$argon2id$v=19$m=65536,t=2,p=1$" + salt + "$" + key + "=",                 // padding
		"$argon2id$v=19$m=65536,t=2,p=1$" + salt + "$" + key[:20] + "-" + key[21:], // URL alphabet
		"$argon2id$v=19$m=65536,t=2,p=1$" + salt + "$" + key + "$",
	} {
		ok, err := Verify("password", h)
		if ok || err == nil {
			t.Errorf("Verify(%q) = %v, %v; want an error", h, ok, err)
			continue
		}
		if lifeboat.ErrorCode(err) != lifeboat.EINTERNAL || strings.Contains(err.Error(), salt) {
			t.Errorf("Verify(%q): error %q should be internal and not show the hash", h, err)
		}
		if !NeedsRehash(h) {
			t.Errorf("NeedsRehash(%q) = false", h)
		}
	}
}

func TestVerifyDummy(t *testing.T) {
	if VerifyDummy("password") || VerifyDummy("") {
		t.Error("VerifyDummy = true")
	}
}

func TestCheck(t *testing.T) {
	tests := []struct {
		pw string
		ok bool
	}{
		{"", false},
		{"short", false},
		{"elevenchars", false},
		{"twelve chars", true},
		{"ünïcödé-pässwörd", true},
		{"äöüäöüäöüäö", false}, // 11 characters, 22 bytes
		{"aaaaaaaaaaaaaaaa", false},
		{"ééééééééééééé", false},
		{"aaaaaaaaaaaaaaab", true},
		{"            ", false},
		{"correct horse battery staple", true},
		{strings.Repeat("ab", 512), true},
		{strings.Repeat("ab", 512) + "c", false},
		{"valid-length\x00pw", false},
		{"invalid utf-8 \xff\xfe", false},
	}
	for _, tt := range tests {
		err := Check(tt.pw)
		if (err == nil) != tt.ok {
			t.Errorf("Check(%q) = %v, want ok %v", tt.pw, err, tt.ok)
		}
		if err != nil {
			if f := lifeboat.ErrorFields(err); lifeboat.ErrorCode(err) != lifeboat.EINVALID || len(f) != 1 || f[0].Field != "password" {
				t.Errorf("Check(%q) = %#v, want EINVALID on field password", tt.pw, err)
			}
			if strings.Contains(err.Error(), tt.pw) && tt.pw != "" {
				t.Errorf("Check(%q): the error shows the password: %v", tt.pw, err)
			}
		}
	}
}

func TestGenerate(t *testing.T) {
	a, b := Generate(), Generate()
	if a == b {
		t.Error("Generate returned the same password twice")
	}
	if err := Check(a); err != nil || len(a) < 20 {
		t.Errorf("Generate() = %q: %v", a, err)
	}
}

// FuzzVerify feeds Verify arbitrary hashes: it must refuse malformed ones
// with an error and no panic, and what it accepts must be canonical, so
// that one hash has one spelling. Hashes with costly parameters are only
// decoded, to keep the fuzzer fast.
func FuzzVerify(f *testing.F) {
	f.Add("password", reference)
	f.Add("x", "$argon2id$v=19$m=64,t=1,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc")
	f.Add("x", "$argon2id$v=19$m=8,t=1,p=1$AAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAA")
	f.Add("", "$$$$$")
	f.Add("", "$argon2id$v=19$m=4294967296,t=1,p=1$$")
	f.Fuzz(func(t *testing.T, pw, encoded string) {
		p, salt, key, err := decode(encoded)
		if err != nil {
			if ok, verr := Verify(pw, encoded); ok || verr == nil {
				t.Fatalf("Verify(%q) = %v, %v after decode failed with %v", encoded, ok, verr, err)
			}
			return
		}
		if again := encode(p, salt, key); again != encoded {
			t.Fatalf("decode accepted %q, which encodes as %q", encoded, again)
		}
		if p.Memory > 1024 || p.Time > 4 {
			return
		}
		if _, err := Verify(pw, encoded); err != nil {
			t.Fatalf("Verify(%q) = %v after decode succeeded", encoded, err)
		}
	})
}

// BenchmarkVerify and BenchmarkVerifyDummy should take the same time: the
// dummy hides which user names exist.
func BenchmarkVerify(b *testing.B) {
	h, _ := Hash("correct horse battery staple")
	for b.Loop() {
		Verify("correct horse battery stapler", h)
	}
}

func BenchmarkVerifyDummy(b *testing.B) {
	for b.Loop() {
		VerifyDummy("correct horse battery stapler")
	}
}
